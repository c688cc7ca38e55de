"""Demo content for `make run`: a small library of patient articles written for this project.

The text is original, written for this project in plain language (reading grade 8 or lower
by `delivery.rendering.body_reading_grade`; 300 to 900 words). Each article cites public
health-agency pages on the same subject by title and address only; none of their words are
copied here.

Each article is a dict of revision content (what `RevisionContent.from_input` reads) plus
a few keys that say how `load_demo_content` takes it through the real workflow:

* "editor": username of the editor who writes it (default "ana").
* "reviewer": username of the clinical reviewer who approves it, or asks for changes.
* "state": where its first revision ends up: LIVE (the default), SCHEDULED (approved and
  scheduled SCHEDULE_IN_DAYS ahead), IN_REVIEW or CHANGES_REQUESTED.
* "review_comment": what the reviewer writes when approving or asking for changes.
* "review_interval_days": how long until it is due for clinical re-review.
* "notes": internal notes on the revision while in review: the first starts a thread and
  each one after it replies to the first.
* "translation_of": the slug of the English article it translates.
* "later": further revisions of a live article, oldest first, each a dict with "editor",
  "changes" (the content fields that change), "state" (LIVE or IN_REVIEW) and maybe
  "notes" and "review_comment".
"""

LIVE = "live"
SCHEDULED = "scheduled"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"

# A scheduled article goes live this many days after the demo is loaded.
SCHEDULE_IN_DAYS = 3

# The article that is soon due for re-review. Nothing in the workflow can create an article
# whose review is already past due (next_review_due counts from the approval, which happens
# now), and the demo must never write states or dates directly. So this article is approved
# with a one-day review interval: it falls due one day after loading, so it heads any "due
# soon" list from the start and is overdue (GET /api/v1/manage/articles/?review_overdue=true)
# from then on, until a reviewer certifies it (article_certify_review).
DUE_FOR_REVIEW_INTERVAL_DAYS = 1

DEMO_TOPICS = [
    # slug, name, parent slug
    ("cancer-screening", "Cancer screening", None),
    ("breast-health", "Breast health", "cancer-screening"),
    ("colorectal-health", "Colorectal health", "cancer-screening"),
    ("lung-health", "Lung health", None),
    ("diabetes", "Diabetes", None),
    ("heart-health", "Heart health", None),
    ("blood-pressure", "Blood pressure", "heart-health"),
    ("bone-health", "Bone health", None),
    ("kidney-health", "Kidney health", None),
    ("vaccines", "Vaccines", None),
    ("mental-health", "Mental health", None),
]

DEMO_STAFF = [
    # username, roles, display name, credentials
    ("ana", ["editor"], "Ana Ruiz", "RN, patient-education editor"),
    ("marisol", ["editor"], "Marisol Vega", "RN, bilingual patient-education editor"),
    ("dr.chen", ["reviewer"], "Dr. Mei Chen", "MD, breast radiologist"),
    ("dr.okafor", ["reviewer"], "Dr. Chidi Okafor", "MD, endocrinologist"),
    ("dr.haddad", ["reviewer"], "Dr. Samir Haddad", "MD, internist and cardiologist"),
    ("sam", ["publisher"], "Sam Patel", "Web publisher"),
    ("admin", ["admin"], "Site administrator", ""),
]

ANA = {"name": "Ana Ruiz", "credentials": "RN"}
MARISOL = {"name": "Marisol Vega", "credentials": "RN"}

# ------------------------------------------------------------------------------
# Breast health
# ------------------------------------------------------------------------------
_CALLBACK_BODY = """## What does a call-back mean?

A call-back means the radiologist wants a closer look at one part of your breast. It does
not mean you have cancer. It means the first pictures did not give a clear answer.

Call-backs are common. About one in ten people who have a screening mammogram are asked
to come back. Most of them get normal results after the extra tests. Fewer than one in ten
people who are called back turn out to have cancer.

## Why do call-backs happen?

There are a few common reasons:

* Breast tissue overlapped on the pictures. This can hide part of the breast, or look like
  a spot when there is none.
* The radiologist saw a small spot, a lump, or a change in shape that needs a second look.
* The radiologist saw tiny white specks called calcifications.
* This was your first mammogram, so there were no older pictures to compare.
* Part of the breast did not show well on the first pictures.

People with dense breasts are called back more often. Dense tissue can make the pictures
harder to read.

## What happens at the visit?

Plan to spend one to two hours at the imaging center. You may have one or more of these
tests:

* A **diagnostic mammogram**. This takes more pictures of one area. The tech may press a
  small paddle on one spot, or make the picture larger.
* A breast **ultrasound**. This uses sound waves, not x-rays. A gel is put on your skin and
  a small wand is moved over the breast. It does not hurt.

The radiologist often reads the pictures while you wait. Many people learn their results
before they go home.

## What can the results be?

Most people hear one of three things:

* **Normal.** You go back to your regular screening schedule.
* **Probably normal.** The spot is very likely fine. You come back in about six months to
  be sure it does not change.
* **Needs a biopsy.** A small sample of tissue is taken with a needle and checked in a lab.
  Most biopsies do not find cancer.

## Tips for the day

* Wear a top with pants or a skirt. Then you only need to take off your top.
* Do not put deodorant, powder or lotion under your arms or on your breasts. They can show
  up on the pictures.
* Bring a list of your past mammograms and where they were done.
* Ask a friend or family member to come with you if that would help.

## When to call us

Call the breast imaging team if you have not heard about your appointment within a week.
Call sooner if you notice a new lump, a change in the skin, or fluid coming from the nipple.

It is normal to feel worried while you wait. Remember that most call-backs end with good
news.
"""

_CALCIFICATIONS = """## What are calcifications?

Calcifications are tiny bits of calcium in the breast tissue. They show up as white specks
on a mammogram. They are very common, mostly after age 50. They do not come from the
calcium in your food or in calcium pills.

Most calcifications are not a sign of cancer. Sometimes a small group of them has a shape
or pattern that the radiologist wants to see more closely. Then you may get a magnified
picture of that spot.

"""

MAMMOGRAM_CALLBACK = {
    "slug": "screening-mammogram-callback",
    "locale": "en",
    "title": "Why you might be called back after a screening mammogram",
    "summary": (
        "Being asked to come back after a mammogram is common, and most call-backs do not "
        "find cancer. Here is what the extra tests are and what to expect."
    ),
    "body": _CALLBACK_BODY,
    "editor_note": "",
    "topics": ["breast-health", "cancer-screening"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "R92.8",
            "display": "Other abnormal and inconclusive findings on diagnostic imaging of breast",
        },
        {
            "system": "icd10cm",
            "code": "Z12.31",
            "display": "Encounter for screening mammogram for malignant neoplasm of breast",
        },
        {"system": "snomedct", "code": "171176006", "display": "Breast neoplasm screening"},
    ],
    "sources": [
        {
            "title": "National Cancer Institute: Mammograms",
            "url": "https://www.cancer.gov/types/breast/mammograms-fact-sheet",
        },
        {
            "title": "CDC: Screening for Breast Cancer",
            "url": "https://www.cdc.gov/breast-cancer/screening/index.html",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.chen",
    "review_comment": "Clinically accurate. The recall numbers match what we see here.",
    "later": [
        {
            "editor": "ana",
            "changes": {
                "body": _CALLBACK_BODY.replace(
                    "## What happens at the visit?",
                    _CALCIFICATIONS + "## What happens at the visit?",
                ),
                "editor_note": "We updated this article to explain calcifications in plain words.",
            },
            "state": LIVE,
            "review_comment": "Good addition; the calcification section is accurate.",
        }
    ],
}

DENSE_BREASTS = {
    "slug": "dense-breasts",
    "locale": "en",
    "title": "What it means to have dense breasts",
    "summary": (
        "Your mammogram letter may say that your breasts are dense. Dense breasts are normal, "
        "but they can hide cancer on a mammogram and slightly raise your risk."
    ),
    "body": """## What are dense breasts?

Breasts are made of fat and of tissue that forms the milk ducts and glands. Doctors call
this second kind dense tissue. If you have a lot of it compared with fat, you have dense
breasts.

Dense breasts are normal and common. About half of women over 40 have them. You cannot feel
breast density. It does not cause pain or lumps. Only a mammogram can show it.

## How is density measured?

The radiologist looks at your mammogram and puts your breasts in one of four groups:

* **A: Almost all fat.** These breasts are not dense.
* **B: Scattered areas of dense tissue.** These breasts are not dense.
* **C: Dense in many areas.** Doctors call this heterogeneously dense.
* **D: Almost all dense.** Doctors call this extremely dense.

Groups C and D are called dense breasts. In the United States, your mammogram letter must
now tell you whether your breasts are dense.

## Why does density matter?

Dense tissue looks white on a mammogram. Cancer also looks white. So a small cancer can be
hidden by dense tissue, a bit like a white cat in the snow.

Dense breasts also raise the chance of getting breast cancer a little. This is one risk
among many. Your age, your family history and past breast problems matter too.

## Do I need other tests?

A mammogram is still the best screening test for most people with dense breasts. Keep
having them on your regular schedule. A 3D mammogram, also called tomosynthesis, may find
more cancers in dense breasts.

Some people may also need another test, such as:

* **Breast ultrasound.** It uses sound waves. It can find some cancers that a mammogram
  misses.
* **Breast MRI.** It uses a strong magnet and a dye given through a vein. It is most often
  used for people at high risk.

These tests also find more things that turn out not to be cancer. That can mean more
call-backs and biopsies. Your health plan may not pay for them. Talk with your doctor about
your own risk before you choose.

## Can I change my breast density?

Not much. Density often goes down as you get older, mostly after menopause. Some hormone
medicines can raise it. Dense breasts are not caused by anything you did.

## Questions to ask your doctor

* What is my breast density group?
* What is my overall risk of breast cancer?
* Would another screening test help me?
* Will my health plan pay for it?

Whatever your density, know how your breasts normally look and feel. Tell your doctor
about any change, even if your last mammogram was normal.
""",
    "editor_note": "",
    "topics": ["breast-health"],
    "codes": [
        {"system": "icd10cm", "code": "R92.30", "display": "Dense breasts, unspecified"},
        {"system": "icd10cm", "code": "R92.2", "display": "Inconclusive mammogram"},
    ],
    "sources": [
        {
            "title": "National Cancer Institute: Dense Breasts",
            "url": "https://www.cancer.gov/types/breast/breast-changes/dense-breasts",
        },
        {
            "title": "FDA: Mammography Quality Standards Act and Program",
            "url": "https://www.fda.gov/radiation-emitting-products/"
            "mammography-quality-standards-act-and-program",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.chen",
    "review_comment": "Accurate, and the density groups match the BI-RADS wording.",
}

# ------------------------------------------------------------------------------
# Colorectal health
# ------------------------------------------------------------------------------
COLONOSCOPY_PREP = {
    "slug": "colonoscopy-prep",
    "locale": "en",
    "title": "Colonoscopy preparation: how to get your bowel ready",
    "summary": (
        "A clean bowel lets your doctor see clearly during a colonoscopy. This guide walks "
        "you through the preparation, day by day."
    ),
    "body": """## Why does the prep matter?

During a colonoscopy, the doctor uses a thin tube with a camera to look at the inside of
your colon. The colon must be empty and clean. If stool is left behind, the doctor may miss
a polyp. You may then need to do the test again.

Good bowel preparation is the most important thing you can do for a good test.

## One week before

* Read your instruction sheet. If it says something different from this guide, follow
  your sheet.
* Pick up your prep kit from the pharmacy.
* Ask your doctor about your medicines. This is very important if you take blood thinners,
  insulin or other diabetes medicine, or iron pills.
* Find an adult who can drive you home. You will get medicine to make you sleepy, so you
  cannot drive until the next day.

## Three days before

Start eating low-fiber foods. Good choices are white bread, white rice, eggs, chicken,
fish, and well-cooked vegetables without skins.

Stop eating foods that are hard to clean out:

* Nuts and seeds.
* Popcorn.
* Raw fruits and vegetables.
* Whole grains, beans and corn.

## The day before

Drink only clear liquids all day. You should be able to see through them. Good choices
are:

* Water.
* Clear broth.
* Apple juice or white grape juice.
* Plain gelatin or ice pops.
* Sports drinks, or tea or coffee with no milk or cream.

Do not drink anything red or purple. These colors can look like blood in the colon.

Start the prep drink at the time on your sheet. Most people take it in two parts. You
drink half the evening before, and the rest early on the morning of the test. This is
called a split dose. It cleans the colon best.

## Tips to get the prep down

* Chill the prep drink in the fridge.
* Drink it with a straw.
* Suck on a lemon slice or a hard candy between glasses.
* Drink extra clear liquids so you do not get dried out.

You will have many loose stools. Stay close to a toilet. Soft wipes and a skin cream can
help.

## How do I know it worked?

By the end, your stool should look like clear or light yellow liquid. If it is still brown
or has bits in it, call the number on your sheet.

## The day of the test

* Finish the second part of the prep by the time on your sheet.
* Stop drinking all liquids when your sheet tells you to. This is often two to four hours
  before the test.
* Bring your ID, your list of medicines and your driver.

Call us if you feel very sick, throw up the prep, or cannot finish it.
""",
    "editor_note": "",
    "topics": ["colorectal-health", "cancer-screening"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "Z12.11",
            "display": "Encounter for screening for malignant neoplasm of colon",
        },
        {"system": "snomedct", "code": "73761001", "display": "Colonoscopy"},
    ],
    "sources": [
        {
            "title": "NIDDK: Colonoscopy",
            "url": "https://www.niddk.nih.gov/health-information/diagnostic-tests/colonoscopy",
        },
        {
            "title": "CDC: Screening for Colorectal Cancer",
            "url": "https://www.cdc.gov/colorectal-cancer/screening/index.html",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.haddad",
    "review_comment": "Clinically accurate. Split dosing is the right default to describe.",
}

FIT_TEST = {
    "slug": "fit-stool-test",
    "locale": "en",
    "title": "The FIT stool test: screening for colon cancer at home",
    "summary": (
        "The FIT is a simple stool test you do at home once a year. It checks for hidden "
        "blood, which can be an early sign of colon cancer or polyps."
    ),
    "body": """## What is the FIT?

FIT stands for fecal immunochemical test. It checks a small sample of your stool for blood
you cannot see. Polyps and colon cancer can bleed a tiny amount. Finding that blood early
can save lives.

The FIT is one way to screen for colon cancer. Most adults should start screening at age
45. If colon cancer runs in your family, or you have other risks, you may need to start
sooner or have a colonoscopy instead.

## Why choose the FIT?

* You do it at home, in private.
* You do not need to change what you eat or stop your medicines.
* There is no bowel prep and no time off work.
* It costs less than other tests.

The FIT must be done every year to work well. If you would rather test less often, ask
about a colonoscopy. When its results are normal, it is done every ten years.

## How do I do the test?

Your kit comes with its own steps. Read them before you start. Most kits work like this:

1. Write your name and the date on the tube.
2. Catch your stool before it touches the toilet water. Many kits come with a paper liner
   to help.
3. Scrape the stick over the stool in a few places.
4. Put the stick back in the tube and close it tight.
5. Mail the kit or drop it off within the time on the instructions.

Do not collect a sample during your period, or while you have bleeding from hemorrhoids.
Wait until the bleeding stops.

## What do the results mean?

**Normal.** No blood was found. Do the test again in one year.

**Not normal.** Blood was found. This does not mean you have cancer. The blood can come
from polyps, hemorrhoids or other problems. But you need a colonoscopy soon to find the
cause. Please do not skip this step. Doing a second FIT is not enough.

## When should I call my doctor?

Do not wait for your next test if you notice:

* Blood in your stool or on the toilet paper.
* A change in your bowel habits that lasts more than a few weeks.
* Belly pain that does not go away.
* Weight loss you cannot explain.

These signs can have many causes, but they need to be checked. A home test is for people
with no signs at all.
""",
    "editor_note": "",
    "topics": ["colorectal-health", "cancer-screening"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "Z12.11",
            "display": "Encounter for screening for malignant neoplasm of colon",
        },
        {
            "system": "loinc",
            "code": "29771-3",
            "display": "Hemoglobin.gastrointestinal [Presence] in Stool by Immunoassay",
        },
    ],
    "sources": [
        {
            "title": "CDC: Screening for Colorectal Cancer",
            "url": "https://www.cdc.gov/colorectal-cancer/screening/index.html",
        },
        {
            "title": "USPSTF: Colorectal Cancer Screening",
            "url": "https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/"
            "colorectal-cancer-screening",
        },
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.haddad",
    "review_comment": "Accurate. Glad it says a positive FIT needs a colonoscopy.",
}

# ------------------------------------------------------------------------------
# Lung health
# ------------------------------------------------------------------------------
LUNG_SCREENING = {
    "slug": "lung-cancer-screening",
    "locale": "en",
    "title": "Lung cancer screening with a low-dose CT scan",
    "summary": (
        "A yearly low-dose CT scan can find lung cancer early in people who have smoked a "
        "lot. See if screening is right for you and what to expect."
    ),
    "body": """## Who should be screened?

Lung cancer screening is for people with a higher chance of getting lung cancer. Experts
advise a scan every year if all of these are true:

* You are 50 to 80 years old.
* You have a smoking history of 20 pack-years or more.
* You smoke now, or you quit within the past 15 years.

Screening is for people who have no signs of lung cancer. If you have a cough that will not
go away, cough up blood, or lose weight without trying, see your doctor. Do not wait for a
screening scan.

## What is a pack-year?

A pack-year is a way to measure how much you have smoked. Take the number of packs you
smoked each day. Multiply it by the number of years you smoked.

* One pack a day for 20 years is 20 pack-years.
* Two packs a day for 10 years is also 20 pack-years.
* Half a pack a day for 40 years is 20 pack-years too.

## What happens during the scan?

The test is a low-dose CT scan of your chest. You lie on your back on a table that slides
through a large ring. You hold your breath for a few seconds. The scan itself takes less
than a minute. There are no needles and no dye.

The scan uses much less radiation than a regular CT scan.

## What can the results show?

Many scans show small spots in the lungs called nodules. Nearly all of them are not cancer.
They can be scars from old infections, for example.

* If your scan is normal, or the spots look harmless, you come back in one year.
* If a spot needs a closer look, you may have another scan in a few months to see if it
  grows.
* Sometimes you may need more tests, such as a PET scan or a biopsy.

## What are the benefits and risks?

The main benefit is that screening finds lung cancer early, when it is easier to treat.
It lowers the chance of dying from lung cancer.

There are some risks too:

* A scan may find something that turns out not to be cancer. This can lead to worry and
  more tests.
* Some cancers that are found would never have caused harm.
* Each scan gives a small dose of radiation.

Talk with your doctor about whether screening is right for you. Many people have a visit to
talk it over before their first scan.

## The best step of all

Quitting smoking is the best thing you can do for your lungs. It is never too late. Call
1-800-QUIT-NOW for free help to quit.
""",
    "editor_note": "",
    "topics": ["lung-health", "cancer-screening"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "Z12.2",
            "display": "Encounter for screening for malignant neoplasm of respiratory organs",
        },
        {
            "system": "icd10cm",
            "code": "Z87.891",
            "display": "Personal history of nicotine dependence",
        },
        {
            "system": "icd10cm",
            "code": "F17.210",
            "display": "Nicotine dependence, cigarettes, uncomplicated",
        },
    ],
    "sources": [
        {
            "title": "CDC: Screening for Lung Cancer",
            "url": "https://www.cdc.gov/lung-cancer/screening/index.html",
        },
        {
            "title": "USPSTF: Lung Cancer Screening",
            "url": "https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/"
            "lung-cancer-screening",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.chen",
    "review_comment": "Accurate and balanced on benefits and harms.",
}

# ------------------------------------------------------------------------------
# Diabetes
# ------------------------------------------------------------------------------
TYPE_2_DIABETES = {
    "system": "icd10cm",
    "code": "E11.9",
    "display": "Type 2 diabetes mellitus without complications",
}
TYPE_2_DIABETES_SNOMED = {
    "system": "snomedct",
    "code": "44054006",
    "display": "Diabetes mellitus type 2",
}

A1C = {
    "slug": "understanding-your-a1c",
    "locale": "en",
    "title": "Understanding your A1C (hemoglobin A1C) test",
    "summary": (
        "The hemoglobin A1C blood test shows your average blood sugar over the past two to "
        "three months. Here is what your number means."
    ),
    "body": """## What is the A1C test?

A1C is a blood test. Its full name is hemoglobin A1C. You may also see it written as HbA1c.

Sugar in your blood sticks to hemoglobin, a protein inside your red blood cells. Red blood
cells live for about three months. So the test shows your average blood sugar over the past
two to three months. It does not show the highs and lows of a single day.

You do not need to fast for this test. You can eat and drink as usual.

## What do the numbers mean?

If you do not have diabetes, the A1C can show if you are at risk:

| A1C | What it means |
| --- | --- |
| Below 5.7% | Normal |
| 5.7% to 6.4% | Prediabetes |
| 6.5% or higher | Diabetes |

A doctor will most often repeat the test before saying you have diabetes.

## What should my number be?

If you have diabetes, many adults aim for an A1C below 7%. Your goal may be higher or lower.
It depends on your age, your health, and your risk of low blood sugar. Ask your care team
what your goal is.

Each step down helps. Even going from 9% to 8% lowers your risk of problems with your eyes,
kidneys, nerves and heart.

## How does A1C compare with my meter?

Your A1C can be turned into an average blood sugar, like the numbers on your meter:

| A1C | Average blood sugar |
| --- | --- |
| 6% | About 126 mg/dL |
| 7% | About 154 mg/dL |
| 8% | About 183 mg/dL |
| 9% | About 212 mg/dL |

## How often should I get tested?

* Every three months if your diabetes medicine has changed, or you are not at your goal.
* At least twice a year if you are at your goal.
* About once a year if you have prediabetes.

## Can the test be wrong?

Some things can make your A1C read too high or too low. These include anemia, recent blood
loss, a blood transfusion, pregnancy, and some kinds of hemoglobin that run in families.
Kidney disease can also change it. If your A1C does not match your meter, tell your care
team.

## What can I do to lower my A1C?

* Take a short walk after meals.
* Drink water instead of soda or juice.
* Fill half your plate with vegetables.
* Take your medicines as your care team planned.
* Check your blood sugar as often as you were told.

Small changes add up over three months. Your next A1C can show the difference.
""",
    "editor_note": "",
    "topics": ["diabetes"],
    "codes": [
        {
            "system": "loinc",
            "code": "4548-4",
            "display": "Hemoglobin A1c/Hemoglobin.total in Blood",
        },
        TYPE_2_DIABETES,
        # The whole category, so that a more specific code (E11.65) finds this article too.
        {"system": "icd10cm", "code": "E11", "display": "Type 2 diabetes mellitus"},
        {"system": "icd10cm", "code": "R73.03", "display": "Prediabetes"},
        TYPE_2_DIABETES_SNOMED,
    ],
    "sources": [
        {
            "title": "MedlinePlus: Hemoglobin A1C (HbA1c) Test",
            "url": "https://medlineplus.gov/lab-tests/hemoglobin-a1c-hba1c-test/",
        },
        {
            "title": "NIDDK: The A1C Test and Diabetes",
            "url": "https://www.niddk.nih.gov/health-information/diagnostic-tests/a1c-test",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.okafor",
    "review_comment": "Clinically accurate; the average glucose figures are correct.",
}

LOW_BLOOD_SUGAR = {
    "slug": "low-blood-sugar",
    "locale": "en",
    "title": "Low blood sugar: how to spot it and treat it",
    "summary": (
        "Low blood sugar can happen to people who take insulin or some diabetes pills. Learn "
        "the signs and the 15-15 rule so you can act fast."
    ),
    "body": """## What is low blood sugar?

Low blood sugar is also called hypoglycemia. For most people with diabetes, it means a
blood sugar below 70 mg/dL.

It is most common in people who take insulin, or pills called sulfonylureas. It can happen
when you:

* Skip a meal or eat less than usual.
* Are more active than usual.
* Take too much diabetes medicine.
* Drink alcohol, mostly without food.

## What are the signs?

Signs often come on fast. You may feel:

* Shaky, sweaty, or cold and clammy.
* Very hungry.
* Dizzy or weak.
* Cranky, nervous or confused.
* Your heart beating fast.
* Blurry vision or a headache.

Low blood sugar can also happen while you sleep. You may wake up sweaty, have bad dreams,
or have a headache in the morning.

Some people do not feel any signs. This is more likely if you have had diabetes for many
years. If this is you, check your blood sugar more often.

## How do I treat it? Use the 15-15 rule

1. Check your blood sugar. If you cannot check, treat it anyway.
2. If it is below 70, eat or drink 15 grams of fast sugar. See the list below.
3. Wait 15 minutes. Then check again.
4. If it is still below 70, have another 15 grams.
5. When it is back above 70, eat a snack or your next meal. This keeps it from dropping
   again.

Good choices for 15 grams of fast sugar:

* Half a cup of juice, or of regular soda (not diet).
* Glucose tablets. Check the label to see how many make 15 grams.
* One tablespoon of sugar or honey.
* Hard candy. Check the label for how many to take.

Do not use chocolate, cookies or other foods with fat. Fat slows down the sugar.

## When is it an emergency?

Very low blood sugar can make a person pass out or have a seizure. If this happens:

* Do not give food or drink. The person could choke.
* Give glucagon if they have it and you know how. It comes as a shot or a nose spray.
* Call 911.

Ask your doctor if you should keep glucagon at home. Show your family and friends where it
is and how to use it.

## How can I prevent it?

* Eat your meals and snacks on time.
* Check your blood sugar before you drive and before you exercise.
* Carry fast sugar with you at all times.
* Wear a medical ID.
* Tell your care team if you have low blood sugar often. Your medicine may need to change.
""",
    "editor_note": "",
    "topics": ["diabetes"],
    "codes": [
        {"system": "icd10cm", "code": "E16.2", "display": "Hypoglycemia, unspecified"},
        {
            "system": "icd10cm",
            "code": "E11.649",
            "display": "Type 2 diabetes mellitus with hypoglycemia without coma",
        },
        {"system": "snomedct", "code": "302866003", "display": "Hypoglycemia"},
    ],
    "sources": [
        {
            "title": "CDC: Low Blood Sugar (Hypoglycemia)",
            "url": "https://www.cdc.gov/diabetes/about/low-blood-sugar-hypoglycemia.html",
        },
        {
            "title": "NIDDK: Low Blood Glucose (Hypoglycemia)",
            "url": "https://www.niddk.nih.gov/health-information/diabetes/overview/"
            "preventing-problems/low-blood-sugar",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.okafor",
    "review_comment": "Accurate. The 15-15 rule and the glucagon advice are right.",
}

FOOT_CARE = {
    "slug": "diabetes-foot-care",
    "locale": "en",
    "title": "Caring for your feet when you have diabetes",
    "summary": (
        "Diabetes can turn a small foot problem into a serious one. A few minutes of care "
        "each day can keep your feet healthy."
    ),
    "body": """## Why do feet need extra care?

Over time, high blood sugar can harm the nerves and blood vessels in your feet. You may not
feel a cut, a blister or a stone in your shoe. Poor blood flow can make it hard for a sore
to heal. A small sore can then become infected.

The good news is that most foot problems can be prevented. It takes a few minutes each day.

## Check your feet every day

Look at your feet each day, maybe at bedtime. Check the tops, the soles, the heels and
between the toes. Look for:

* Cuts, blisters or sores.
* Red, warm or swollen areas.
* Corns, calluses or ingrown toenails.
* Changes in skin color.

If you cannot see the bottoms of your feet, use a mirror or ask someone to help.

## Wash and dry with care

* Wash your feet each day in warm, not hot, water.
* Dry them well, mostly between the toes.
* Put lotion on the tops and bottoms to keep the skin from cracking. Do not put lotion
  between your toes.

## Trim your nails safely

Cut your toenails straight across after a bath, when they are soft. Smooth sharp edges with
a nail file. If you cannot see well or reach your feet, ask a foot doctor to help.

Do not cut corns or calluses yourself. Do not use corn removers from the store. They can
burn your skin.

## Protect your feet

* Wear shoes and socks at all times, even at home.
* Feel inside your shoes before you put them on.
* Choose shoes that fit well and do not rub.
* Break in new shoes slowly.
* Keep your feet away from heaters and hot water bottles.

## Keep the blood flowing

* Put your feet up when you sit.
* Wiggle your toes and move your ankles a few times a day.
* Do not smoke. Smoking cuts the blood flow to your feet.

## See your care team

Have your feet checked at every visit. Take off your shoes and socks so your doctor can see
them. Get a full foot exam at least once a year.

Call your doctor if you find a sore, a change in color, or an area that is warm or swollen.
""",
    "editor_note": "",
    "topics": ["diabetes"],
    "codes": [
        TYPE_2_DIABETES,
        {
            "system": "icd10cm",
            "code": "E11.42",
            "display": "Type 2 diabetes mellitus with diabetic polyneuropathy",
        },
    ],
    "sources": [
        {
            "title": "NIDDK: Diabetes and Foot Problems",
            "url": "https://www.niddk.nih.gov/health-information/diabetes/overview/"
            "preventing-problems/foot-problems",
        }
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.okafor",
    "state": CHANGES_REQUESTED,
    "review_comment": (
        "Nearly there. Please add two things before this goes live: people with numb feet "
        "should test bath water with an elbow or a thermometer, not their feet; and give a "
        "clear time to call about a sore (for example, one that is not better in a day or two)."
    ),
}

# ------------------------------------------------------------------------------
# Heart health
# ------------------------------------------------------------------------------
BLOOD_PRESSURE = {
    "slug": "reading-your-blood-pressure",
    "locale": "en",
    "title": "How to read your blood pressure numbers",
    "summary": (
        "Learn what the two numbers in a blood pressure reading mean, when a reading counts "
        "as high blood pressure, and how to measure it well at home."
    ),
    "body": """## What do the two numbers mean?

A blood pressure reading has two numbers, such as 128/82. You say it as "128 over 82."

* The **top number** is the systolic pressure. It is the push of blood on the walls of
  your arteries when your heart beats.
* The **bottom number** is the diastolic pressure. It is the push when your heart rests
  between beats.

Both numbers matter.

## What do my numbers mean?

| Group | Top number | Bottom number |
| --- | --- | --- |
| Normal | Below 120 | and below 80 |
| Elevated | 120 to 129 | and below 80 |
| High, stage 1 | 130 to 139 | or 80 to 89 |
| High, stage 2 | 140 or higher | or 90 or higher |

If your two numbers fall in different groups, the higher group counts.

One high reading does not mean you have high blood pressure. Blood pressure goes up and
down all day. Your doctor will look at many readings, taken on different days, before
saying you have it.

## Why does high blood pressure matter?

High blood pressure most often has no signs. Many people feel fine. But over time it
strains your heart and blood vessels. It raises your risk of heart attack, stroke, kidney
disease and vision loss. That is why checking it is so important.

## How do I get a good reading at home?

Home readings help your doctor see your true blood pressure. Use a cuff that goes on your
upper arm, in the right size for your arm.

Before you measure:

* Do not smoke, exercise, or drink coffee for 30 minutes.
* Use the bathroom first.
* Sit quietly for 5 minutes.

While you measure:

* Sit with your back against a chair and your feet flat on the floor.
* Rest your arm on a table, so the cuff is at the level of your heart.
* Put the cuff on bare skin, not over your sleeve.
* Do not talk.

Take two readings, one minute apart. Write down both, with the date and time. Bring your
log or your cuff to your next visit.

## When should I get help?

If your reading is higher than 180 over 120, wait a few minutes and check again. If it is
still that high, call your doctor right away.

Call 911 if a very high reading comes with any of these signs:

* Chest pain or shortness of breath.
* Back pain.
* Numbness or weakness.
* Trouble seeing or speaking.

## How can I lower my blood pressure?

* Eat less salt, and more fruits and vegetables.
* Move your body most days of the week.
* Limit alcohol, and do not smoke.
* Take your medicine every day, even when you feel fine.
""",
    "editor_note": "",
    "topics": ["blood-pressure", "heart-health"],
    "codes": [
        {"system": "icd10cm", "code": "I10", "display": "Essential (primary) hypertension"},
        {
            "system": "icd10cm",
            "code": "R03.0",
            "display": "Elevated blood-pressure reading, without diagnosis of hypertension",
        },
        {
            "system": "loinc",
            "code": "85354-9",
            "display": "Blood pressure panel with all children optional",
        },
        {"system": "snomedct", "code": "38341003", "display": "Hypertensive disorder"},
    ],
    "sources": [
        {
            "title": "CDC: About High Blood Pressure",
            "url": "https://www.cdc.gov/high-blood-pressure/about/index.html",
        },
        {
            "title": "NHLBI: High Blood Pressure",
            "url": "https://www.nhlbi.nih.gov/health/high-blood-pressure",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.haddad",
    "review_comment": "Accurate; the categories follow the current guideline.",
}

_HEART_ATTACK_BODY = """## Why do the signs matter?

A heart attack happens when blood flow to part of the heart is blocked. The longer the
block lasts, the more heart muscle is hurt. Fast care can open the artery and save heart
muscle. It can save your life.

Many people wait too long to get help. They are not sure it is a heart attack, or they do
not want to make a fuss. Please do not wait. It is always OK to call.

## What are the most common signs?

* **Chest pain or discomfort.** It may feel like pressure, squeezing, fullness or pain in
  the center or left side of the chest. It lasts more than a few minutes, or it goes away
  and comes back.
* **Pain in other parts of the upper body.** You may feel it in one or both arms, the
  back, the neck, the jaw or the stomach.
* **Shortness of breath.** This may come with or without chest pain.
* **Other signs.** You may break out in a cold sweat, feel sick to your stomach, or feel
  light-headed.

Heart attack signs can start slowly and be mild. They do not always look like the sudden,
crushing pain shown on TV.

## What should I do?

1. **Call 911 right away.** Do not wait more than five minutes to call.
2. **Do not drive yourself** to the hospital. The ambulance team can start care on the way.
3. **Stop what you are doing** and sit or lie down.
4. **Do what the 911 operator tells you.** They may tell you to chew an aspirin. Do not
   take aspirin if you are allergic to it, or if your doctor told you not to.
5. **Unlock the door** and keep your phone close.

If your doctor gave you nitroglycerin for chest pain, take it the way you were told.

## What if someone passes out?

If a person does not respond and is not breathing normally, call 911. Then start
hands-only CPR. Push hard and fast in the center of the chest. If there is an AED nearby,
use it. It tells you what to do, step by step.

## Who is at higher risk?

Your risk is higher if you:

* Have high blood pressure, high cholesterol or diabetes.
* Smoke.
* Are overweight or not active.
* Have a family history of early heart disease.
* Are older. Risk goes up for men after 45 and for women after 55.

Talk with your care team about your risk. Together you can make a plan to protect your
heart.
"""

_SIGNS_CAN_DIFFER = """## Are the signs different for some people?

Women are more likely than men to have signs other than chest pain. These include shortness
of breath, feeling sick to the stomach or throwing up, and pain in the back or jaw. Some
women also feel very tired for days before.

Older adults and people with diabetes may have mild signs, or none at all. They may only
feel short of breath, weak or confused.

If something feels wrong and new, call 911. Do not talk yourself out of it.

"""

HEART_ATTACK = {
    "slug": "heart-attack-warning-signs",
    "locale": "en",
    "title": "Heart attack warning signs: know them and act fast",
    "summary": (
        "A heart attack needs care right away. Learn the common signs, and what to do while "
        "you wait for help."
    ),
    "body": _HEART_ATTACK_BODY,
    "editor_note": "",
    "topics": ["heart-health"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "I21.9",
            "display": "Acute myocardial infarction, unspecified",
        },
        {"system": "snomedct", "code": "22298006", "display": "Myocardial infarction"},
    ],
    "sources": [
        {
            "title": "CDC: About Heart Attack",
            "url": "https://www.cdc.gov/heart-disease/about/heart-attack.html",
        },
        {"title": "NHLBI: Heart Attack", "url": "https://www.nhlbi.nih.gov/health/heart-attack"},
    ],
    "authors": [ANA],
    "reviewer": "dr.haddad",
    "review_comment": "Clinically accurate. The 911 steps are in the right order.",
    "later": [
        {
            # A second editor adds a section; it waits in review, with a question from the
            # reviewer and the editor's answer as a thread of notes.
            "editor": "marisol",
            "changes": {
                "body": _HEART_ATTACK_BODY.replace(
                    "## What should I do?", _SIGNS_CAN_DIFFER + "## What should I do?"
                ),
                "summary": (
                    "A heart attack needs care right away. Learn the common signs, including "
                    "the quieter ones, and what to do while you wait for help."
                ),
                "editor_note": (
                    "Added a section on signs that can look different in women, older "
                    "adults and people with diabetes."
                ),
                "authors": [ANA, MARISOL],
            },
            "state": IN_REVIEW,
            "notes": [
                (
                    "dr.haddad",
                    "Thank you for adding this. Should we say the tiredness can start weeks "
                    "before, not only days? Some studies say so, but the evidence is mixed.",
                ),
                (
                    "marisol",
                    "I kept 'days' so we do not overstate it. I am happy to change it to "
                    "'days or weeks' if you think that is better supported.",
                ),
                (
                    "dr.haddad",
                    "'Days or weeks' is fair. I will check the wording once more before I approve.",
                ),
            ],
        }
    ],
}

# ------------------------------------------------------------------------------
# Bone health
# ------------------------------------------------------------------------------
BONE_DENSITY = {
    "slug": "bone-density-test",
    "locale": "en",
    "title": "Your bone density test (DXA scan)",
    "summary": (
        "A bone density scan shows how strong your bones are and your risk of breaking one. "
        "Learn who needs the test and how to read your T-score."
    ),
    "body": """## What is a bone density test?

A bone density test measures how much mineral is in your bones. The most common test is a
DXA scan. It uses a very low dose of x-rays. It checks the bones in your hip and lower
spine. These are places where breaks cause the most harm.

The test can find osteoporosis. This is a disease that makes bones thin and weak. People
with osteoporosis can break a bone from a small fall, or even from a cough or a hug. You
cannot feel your bones getting thinner. Many people do not know they have it until a bone
breaks.

## Who should get tested?

* All women age 65 and older.
* Younger women past menopause who have a higher risk.
* Men who have a higher risk. Ask your doctor.

Things that raise your risk include:

* A broken bone after age 50 from a minor fall.
* A parent who broke a hip.
* Smoking, or drinking three or more alcoholic drinks a day.
* Low body weight.
* Taking steroid pills, such as prednisone, for a long time.
* Some health problems, such as rheumatoid arthritis.

## How do I get ready?

* Do not take calcium pills for 24 hours before the test.
* Wear loose clothes with no metal zippers, snaps or buttons.
* Tell the staff if you had a barium test, or a scan with contrast dye, in the past two
  weeks.
* Tell them if you might be pregnant.

## What happens during the test?

You lie on your back on a padded table. An arm of the machine passes slowly over your body.
You need to lie still, but it does not hurt. It takes about 10 to 20 minutes.

## What does my T-score mean?

Your result is given as a T-score. It compares your bones with those of a healthy young
adult.

| T-score | What it means |
| --- | --- |
| -1.0 or higher | Normal |
| Between -1.0 and -2.5 | Low bone mass (osteopenia) |
| -2.5 or lower | Osteoporosis |

A lower score means thinner bones and a higher chance of a break. Your doctor will also
look at your other risks. Together they show your chance of breaking a bone in the next ten
years.

## How can I keep my bones strong?

* Get enough calcium and vitamin D, from food or pills, as your doctor advises.
* Do weight-bearing exercise, such as walking or dancing, and lift light weights.
* Do not smoke, and limit alcohol.
* Make your home safe from falls. Remove loose rugs and add night lights.
* Take your bone medicine if your doctor prescribes one.
""",
    "editor_note": "",
    "topics": ["bone-health"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "Z13.820",
            "display": "Encounter for screening for osteoporosis",
        },
        {
            "system": "icd10cm",
            "code": "M81.0",
            "display": "Age-related osteoporosis without current pathological fracture",
        },
        {"system": "snomedct", "code": "64859006", "display": "Osteoporosis"},
    ],
    "sources": [
        {
            "title": "USPSTF: Osteoporosis to Prevent Fractures: Screening",
            "url": "https://www.uspreventiveservicestaskforce.org/uspstf/recommendation/"
            "osteoporosis-screening",
        },
        {
            "title": "NIAMS: Osteoporosis",
            "url": "https://www.niams.nih.gov/health-topics/osteoporosis",
        },
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.okafor",
    "review_comment": "Accurate. The T-score table uses the standard cut-offs.",
}

# ------------------------------------------------------------------------------
# Kidney health
# ------------------------------------------------------------------------------
KIDNEY_TESTS = {
    "slug": "kidney-function-egfr",
    "locale": "en",
    "title": "Understanding your kidney tests: eGFR and urine albumin",
    "summary": (
        "Two simple tests show how well your kidneys work. Learn what your eGFR and urine "
        "albumin numbers mean, and how to protect your kidneys."
    ),
    "body": """## What do the kidneys do?

Your kidneys are two bean-shaped organs below your ribs. They filter waste and extra water
out of your blood. They also help control your blood pressure and keep your bones healthy.

Kidney disease often has no signs until it is far along. That is why tests matter. They
matter most if you have diabetes, high blood pressure, heart disease, or a family history
of kidney failure.

## What is eGFR?

eGFR stands for estimated glomerular filtration rate. It shows how well your kidneys
filter your blood. It comes from a blood test for creatinine, a waste made by your muscles.
The lab uses your creatinine level, age and sex to work out the number.

| eGFR | What it means |
| --- | --- |
| 90 or higher | Normal, if there are no other signs of kidney damage |
| 60 to 89 | A little lower than normal |
| Below 60 | May mean kidney disease, if it stays low for 3 months |
| Below 15 | Kidney failure |

eGFR often goes down a little with age. One low result is not enough to say you have
kidney disease. Your doctor will repeat the test.

## What is the urine albumin test?

Albumin is a protein in your blood. Healthy kidneys keep it in the blood. Damaged kidneys
let some of it leak into your urine. This can be an early sign of kidney damage, even when
your eGFR is normal.

The test uses a small cup of urine. The result is called the urine albumin to creatinine
ratio, or UACR.

* Below 30 mg/g is normal.
* 30 mg/g or higher may be a sign of kidney disease. Your doctor will check it again.

## How can I protect my kidneys?

* Keep your blood pressure at the goal your doctor sets.
* If you have diabetes, keep your blood sugar in your target range.
* Ask before you take pain pills such as ibuprofen or naproxen. Taken often, they can harm
  the kidneys.
* Do not smoke.
* Eat less salt and stay active.
* Ask your doctor if you need a medicine that protects the kidneys.

## How often should I be tested?

If you have diabetes or high blood pressure, get both tests at least once a year. If you
already have kidney disease, your doctor may test you more often.
""",
    "editor_note": "",
    "topics": ["kidney-health"],
    "codes": [
        {"system": "icd10cm", "code": "N18.9", "display": "Chronic kidney disease, unspecified"},
        {
            "system": "loinc",
            "code": "2160-0",
            "display": "Creatinine [Mass/volume] in Serum or Plasma",
        },
        {
            "system": "loinc",
            "code": "9318-7",
            "display": "Albumin/Creatinine [Mass Ratio] in Urine",
        },
    ],
    "sources": [
        {
            "title": "NIDDK: Chronic Kidney Disease Tests and Diagnosis",
            "url": "https://www.niddk.nih.gov/health-information/kidney-disease/"
            "chronic-kidney-disease-ckd/tests-diagnosis",
        },
        {"title": "MedlinePlus: Kidney Tests", "url": "https://medlineplus.gov/kidneytests.html"},
    ],
    "authors": [ANA],
    "reviewer": "dr.haddad",
    "review_comment": "Accurate for adults; ready to publish.",
    # Due for re-review tomorrow, overdue after that: see DUE_FOR_REVIEW_INTERVAL_DAYS.
    "review_interval_days": DUE_FOR_REVIEW_INTERVAL_DAYS,
}

# ------------------------------------------------------------------------------
# Vaccines
# ------------------------------------------------------------------------------
IMMUNIZATION = {"system": "icd10cm", "code": "Z23", "display": "Encounter for immunization"}

FLU_VACCINE = {
    "slug": "flu-vaccine",
    "locale": "en",
    "title": "The yearly flu vaccine: your questions answered",
    "summary": (
        "A flu vaccine every fall is the best way to protect yourself and the people around "
        "you from the flu. Here is who should get it, when, and what to expect."
    ),
    "body": """## Who should get a flu vaccine?

Almost everyone 6 months and older should get a flu vaccine every year. It is even more
important if you:

* Are 65 or older.
* Are pregnant.
* Have a long-term health problem, such as asthma, diabetes, heart disease or kidney
  disease.
* Live or work with babies, older adults or people who are sick.

## Why every year?

Flu viruses change from year to year. Each year's vaccine is made to match the viruses
that are expected to spread. Your protection also fades over time. So you need a new dose
each flu season.

## When should I get it?

The best time is September or October, before the flu starts to spread. It takes about two
weeks after the shot for your body to build protection. If you missed the fall, it is not
too late. Getting it in the winter still helps.

## Can the flu vaccine give me the flu?

No. The flu shot does not contain live virus, so it cannot give you the flu. Some people
feel achy or tired for a day or two after the shot. This is your body building
protection. It is not the flu.

Common side effects are:

* A sore, red or swollen arm where the shot was given.
* A headache or muscle aches.
* A low fever.

These most often go away in one or two days. Serious allergic reactions are very rare.

## Which vaccine should I get?

There are a few kinds. Most people can get any of them.

* **Flu shot.** This is the most common kind. It is given in the arm.
* **Nasal spray.** It is sprayed into the nose. It is for healthy people age 2 to 49 who
  are not pregnant.
* **Higher-dose vaccines.** These are for people 65 and older. They give stronger
  protection to an older immune system.

People with an egg allergy can get any flu vaccine that is right for their age and health.

## Can I get it with other vaccines?

Yes. You can get your flu vaccine at the same visit as other vaccines. Ask your pharmacist
or doctor which vaccines are due for you.

## Other ways to stay well

* Wash your hands often.
* Cover your coughs and sneezes.
* Stay home when you are sick.
* If you get flu signs and are at high risk, call your doctor within two days. Flu
  medicine works best when it is started early.
""",
    "editor_note": "",
    "topics": ["vaccines"],
    "codes": [
        IMMUNIZATION,
        {"system": "snomedct", "code": "86198006", "display": "Influenza vaccination"},
    ],
    "sources": [
        {
            "title": "CDC: Key Facts About Seasonal Flu Vaccine",
            "url": "https://www.cdc.gov/flu/vaccines/keyfacts.html",
        },
        {
            "title": "CDC: Flu Vaccine Safety",
            "url": "https://www.cdc.gov/flu/vaccine-safety/index.html",
        },
    ],
    "authors": [ANA],
    "reviewer": "dr.haddad",
    "review_comment": "Accurate; matches this season's advice.",
}

SHINGLES_VACCINE = {
    "slug": "shingles-vaccine",
    "locale": "en",
    "title": "The shingles vaccine: two doses for strong protection",
    "summary": (
        "Shingles causes a painful rash and can lead to nerve pain that lasts for months. Two "
        "doses of the shingles vaccine protect most adults age 50 and older."
    ),
    "body": """## What is shingles?

Shingles is a painful rash. It is caused by the same virus that causes chickenpox. After
you have chickenpox, the virus stays in your body for life. Years later, it can wake up and
cause shingles.

The rash often shows up as a band of blisters on one side of the body or face. It can burn,
itch or sting. It most often lasts two to four weeks.

About one in three people in the United States will get shingles in their life. The risk
goes up with age.

## Why should I get the vaccine?

Shingles can lead to nerve pain that lasts for months, or even years, after the rash is
gone. This is more common in older adults. Shingles near the eye can harm your vision.

The shingles vaccine protects more than 9 in 10 people. The protection stays strong for at
least seven years.

## Who should get it?

* Adults 50 and older.
* Adults 19 and older whose immune system is weak because of a disease or a treatment.

You should get the vaccine even if:

* You have had shingles before. The vaccine helps keep it from coming back.
* You do not remember having chickenpox.
* You had the older shingles vaccine, which is no longer used in the United States.

Wait until a shingles rash has cleared before you get the vaccine. If you are pregnant,
ask your doctor about waiting.

## How is it given?

You need two shots in the upper arm. The second shot is given two to six months after the
first. If your immune system is weak, the second shot may come sooner, one to two months
after the first.

If more than six months pass, you do not need to start over. Get the second shot as soon
as you can.

## What side effects can I expect?

Many people have side effects for two or three days. They are a sign that your body is
building protection. You may have:

* A sore arm with redness or swelling.
* Tiredness or muscle pain.
* A headache, shivering or a fever.
* An upset stomach.

Some people feel too unwell for their normal tasks for a day or two. Plan a quiet day after
each shot if you can. The second shot can cause side effects even if the first did not.
Still, be sure to get both shots.

## How do I get it?

Ask your doctor or your pharmacist. Most health plans, including Medicare drug plans, cover
the vaccine.
""",
    "editor_note": "",
    "topics": ["vaccines"],
    "codes": [
        IMMUNIZATION,
        {"system": "icd10cm", "code": "B02.9", "display": "Zoster without complications"},
    ],
    "sources": [
        {
            "title": "CDC: Shingles Vaccination",
            "url": "https://www.cdc.gov/shingles/vaccines/index.html",
        },
        {"title": "CDC: About Shingles", "url": "https://www.cdc.gov/shingles/about/index.html"},
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.haddad",
    "review_comment": "Accurate. Fine to go live on the scheduled date.",
    "state": SCHEDULED,
}

# ------------------------------------------------------------------------------
# Mental health
# ------------------------------------------------------------------------------
DEPRESSION = {
    "slug": "depression-signs-and-help",
    "locale": "en",
    "title": "Depression: when a low mood does not lift",
    "summary": (
        "Everyone feels down sometimes. When sadness or loss of interest lasts two weeks or "
        "more, it may be depression, which is common and can be treated."
    ),
    "body": """## What is depression?

Depression is a common health problem. It is more than a bad day or a sad week. It changes
how you feel, think and handle daily life. It is not a sign of weakness, and it is not your
fault.

Depression can happen to anyone, at any age. It is often linked to stress, loss, health
problems, or changes in the brain. It can also run in families.

## What are the signs?

You may have depression if you have had some of these signs most of the day, nearly every
day, for at least two weeks:

* Feeling sad, empty or hopeless.
* Losing interest in things you used to enjoy.
* Sleeping too much or too little.
* Eating much more or much less than usual.
* Feeling tired or slowed down.
* Feeling worthless or guilty.
* Having trouble thinking or making choices.
* Thinking about death or suicide.

Some people feel more angry or restless than sad. Others mostly feel aches and pains that
have no clear cause.

## How is depression found?

Your doctor may ask you to fill out a short form called the PHQ-9. It asks how often you
have had nine common signs over the past two weeks. Your score helps show if you have
depression, and how strong it is.

Be honest on the form. Your answers help your care team find the right help for you. Your
doctor may also order blood tests to check for other causes, such as a thyroid problem.

## How is it treated?

Depression can be treated. Most people get better with care. The main treatments are:

* **Talk therapy.** You meet with a counselor or therapist. You learn new ways to handle
  your thoughts and feelings.
* **Medicine.** Antidepressants can help. They often take four to eight weeks to work fully.
  Do not stop them on your own. Talk with your doctor first.
* **Both together.** For many people, this works best.

## What can I do for myself?

* Try to move your body every day, even if it is just a short walk.
* Keep a regular sleep schedule.
* Spend time with people you trust.
* Set small goals, one step at a time.
* Limit alcohol and avoid drugs. They can make depression worse.

## Get help now if you are in crisis

If you are thinking about hurting yourself, you are not alone. Call or text 988 to reach
the 988 Suicide and Crisis Lifeline. It is free and open day and night. If you are in
danger right now, call 911.
""",
    "editor_note": "",
    "topics": ["mental-health"],
    "codes": [
        {"system": "icd10cm", "code": "F32.A", "display": "Depression, unspecified"},
        {
            "system": "loinc",
            "code": "44249-1",
            "display": "PHQ-9 quick depression assessment panel",
        },
        {"system": "snomedct", "code": "35489007", "display": "Depressive disorder"},
    ],
    "sources": [
        {"title": "NIMH: Depression", "url": "https://www.nimh.nih.gov/health/topics/depression"},
        {"title": "988 Suicide and Crisis Lifeline", "url": "https://988lifeline.org/"},
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.haddad",
    "review_comment": "Accurate and kind in tone. The crisis line is correct.",
}

# ------------------------------------------------------------------------------
# Spanish translations
# ------------------------------------------------------------------------------
MAMMOGRAM_CALLBACK_ES = {
    "slug": "llamada-despues-de-mamografia",
    "locale": "es",
    "translation_of": "screening-mammogram-callback",
    "title": "Por qué le pueden llamar de nuevo después de una mamografía de detección",
    "summary": (
        "Que le pidan volver después de una mamografía es común, y la mayoría de estas "
        "llamadas no encuentran cáncer. Aquí le explicamos las pruebas y qué esperar."
    ),
    "body": """## ¿Qué significa que le llamen de nuevo?

Significa que el radiólogo quiere ver mejor una parte del seno. No quiere decir que usted
tenga cáncer. Quiere decir que las primeras imágenes no dieron una respuesta clara.

Es algo común. Cerca de una de cada diez personas que se hacen una mamografía de detección
recibe esta llamada. La mayoría tiene resultados normales después de las pruebas extra.
Menos de una de cada diez personas que vuelven tiene cáncer.

## ¿Por qué pasa?

Hay varias razones comunes:

* El tejido del seno se encimó en las imágenes. Esto puede tapar una parte del seno, o
  parecer una mancha que no existe.
* El radiólogo vio una mancha pequeña, un bulto o un cambio de forma que quiere revisar.
* El radiólogo vio puntos blancos muy pequeños llamados calcificaciones.
* Era su primera mamografía y no había imágenes anteriores para comparar.

Las personas con senos densos reciben estas llamadas más a menudo. El tejido denso puede
hacer que las imágenes sean más difíciles de leer.

## ¿Qué son las calcificaciones?

Son pedacitos de calcio en el tejido del seno. Se ven como puntos blancos en la mamografía.
Son muy comunes, sobre todo después de los 50 años. No vienen del calcio que usted come ni
de las pastillas de calcio. La mayoría no es señal de cáncer.

## ¿Qué pasa en la cita?

Planee pasar una o dos horas en el centro de imágenes. Le pueden hacer una o más de estas
pruebas:

* Una **mamografía de diagnóstico**. Toma más imágenes de una zona. A veces se aprieta un
  solo punto del seno, o se agranda la imagen.
* Una **ecografía** del seno. Usa ondas de sonido, no rayos X. No duele.

Muchas veces el radiólogo lee las imágenes mientras usted espera. Muchas personas reciben
su resultado antes de irse a casa.

## ¿Qué resultados puede recibir?

* **Normal.** Usted vuelve a su horario de mamografías de siempre.
* **Probablemente normal.** Le pedirán otra imagen en unos seis meses, para asegurarse de
  que nada cambia.
* **Necesita una biopsia.** Se toma con una aguja una muestra pequeña de tejido. La mayoría
  de las biopsias no encuentra cáncer.

## Consejos para ese día

* Use blusa con pantalón o falda. Así solo se quita la parte de arriba.
* No se ponga desodorante, talco ni crema en las axilas o los senos. Pueden verse en las
  imágenes.
* Lleve una lista de sus mamografías anteriores y del lugar donde se las hizo.
* Si le ayuda, pida a un amigo o familiar que la acompañe.

## ¿Cuándo debe llamarnos?

Llame al equipo de imágenes del seno si no tiene noticias de su cita en una semana. Llame
antes si nota un bulto nuevo, cambios en la piel o líquido que sale del pezón.

Es normal sentir preocupación mientras espera. Recuerde que la mayoría de estas llamadas
termina con buenas noticias.
""",
    "editor_note": "",
    "topics": MAMMOGRAM_CALLBACK["topics"],
    "codes": MAMMOGRAM_CALLBACK["codes"],
    "sources": [
        {
            "title": "MedlinePlus en español: Mamografía",
            "url": "https://medlineplus.gov/spanish/mammography.html",
        },
        {
            "title": "National Cancer Institute: Mammograms",
            "url": "https://www.cancer.gov/types/breast/mammograms-fact-sheet",
        },
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.chen",
    "review_comment": "Faithful to the English article, calcifications section included.",
}

A1C_ES = {
    "slug": "entender-su-a1c",
    "locale": "es",
    "translation_of": "understanding-your-a1c",
    "title": "Entender su prueba de A1C (hemoglobina A1C)",
    "summary": (
        "La prueba de sangre de hemoglobina A1C muestra su nivel promedio de azúcar en la "
        "sangre de los últimos dos o tres meses. Aquí le explicamos qué significa su número."
    ),
    "body": """## ¿Qué es la prueba de A1C?

La A1C es un análisis de sangre. Su nombre completo es hemoglobina A1C. También se escribe
HbA1c.

El azúcar de la sangre se pega a la hemoglobina, una proteína que está dentro de los
glóbulos rojos. Los glóbulos rojos viven unos tres meses. Por eso la prueba muestra su
nivel promedio de azúcar de los últimos dos o tres meses. No muestra las subidas y bajadas
de un solo día.

No necesita ayunar para esta prueba. Puede comer y beber como siempre.

## ¿Qué significan los números?

Si usted no tiene diabetes, la A1C puede mostrar si tiene riesgo:

| A1C | Qué significa |
| --- | --- |
| Menos de 5.7% | Normal |
| De 5.7% a 6.4% | Prediabetes |
| 6.5% o más | Diabetes |

Por lo general, el médico repite la prueba antes de decir que usted tiene diabetes.

## ¿Cuál debe ser mi número?

Si tiene diabetes, muchos adultos buscan una A1C menor de 7%. Su meta puede ser más alta o
más baja. Depende de su edad, de su salud y de su riesgo de tener el azúcar bajo. Pregunte
a su equipo de salud cuál es su meta.

Cada paso hacia abajo ayuda. Bajar de 9% a 8% ya reduce el riesgo de problemas en los ojos,
los riñones, los nervios y el corazón.

## ¿Cada cuánto debo hacerme la prueba?

* Cada tres meses si cambió su medicina para la diabetes o si no ha llegado a su meta.
* Al menos dos veces al año si ya está en su meta.
* Más o menos una vez al año si tiene prediabetes.

## ¿Puede fallar la prueba?

Algunas cosas pueden hacer que la A1C salga más alta o más baja de lo real. Por ejemplo:
la anemia, una pérdida de sangre reciente, una transfusión, el embarazo y algunos tipos de
hemoglobina que vienen de familia. La enfermedad de los riñones también puede cambiarla. Si
su A1C no se parece a las lecturas de su medidor, dígaselo a su equipo de salud.

## ¿Qué puede hacer para bajar su A1C?

* Dé una caminata corta después de comer.
* Tome agua en lugar de refrescos o jugos.
* Llene la mitad de su plato con verduras.
* Tome sus medicinas como lo planeó su equipo de salud.
* Mídase el azúcar tan seguido como le indicaron.

Los cambios pequeños suman en tres meses. Su próxima prueba de A1C puede mostrar la
diferencia.
""",
    "editor_note": "",
    "topics": A1C["topics"],
    "codes": A1C["codes"],
    "sources": [
        {
            "title": "MedlinePlus en español: Prueba de hemoglobina A1C",
            "url": "https://medlineplus.gov/spanish/pruebas-de-laboratorio/"
            "prueba-de-hemoglobina-a1c/",
        },
        {
            "title": "NIDDK: The A1C Test and Diabetes",
            "url": "https://www.niddk.nih.gov/health-information/diagnostic-tests/a1c-test",
        },
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.okafor",
    "review_comment": "Faithful translation; the numbers match the English article.",
}

COLONOSCOPY_PREP_ES = {
    "slug": "preparacion-para-colonoscopia",
    "locale": "es",
    "translation_of": "colonoscopy-prep",
    "title": "Preparación para la colonoscopia: cómo limpiar el intestino",
    "summary": (
        "Un intestino limpio le permite al médico ver bien durante la colonoscopia. Esta guía "
        "le explica la preparación día por día."
    ),
    "body": """## ¿Por qué importa la preparación?

Durante una colonoscopia, el médico usa un tubo delgado con una cámara para ver el
interior del colon. El colon debe estar vacío y limpio. Si quedan heces, el médico puede no
ver un pólipo. Entonces tal vez tenga que repetir la prueba.

Una buena preparación es lo más importante que usted puede hacer para que la prueba salga
bien.

## Una semana antes

* Lea su hoja de instrucciones. Si dice algo distinto a esta guía, siga su hoja.
* Recoja en la farmacia el producto para la preparación.
* Pregunte a su médico sobre sus medicinas. Esto es muy importante si toma medicinas para
  la coagulación, insulina u otras medicinas para la diabetes, o pastillas de hierro.
* Busque a un adulto que lo lleve a casa. Le darán medicina para dormir, así que no podrá
  manejar hasta el día siguiente.

## Tres días antes

Coma alimentos con poca fibra, como pan blanco, arroz blanco, huevos, pollo, pescado y
verduras bien cocidas sin cáscara.

Deje de comer alimentos difíciles de limpiar:

* Nueces y semillas.
* Palomitas de maíz.
* Frutas y verduras crudas.
* Granos enteros, frijoles y maíz.

## El día antes

Tome solo líquidos claros todo el día. Debe poder ver a través de ellos. Por ejemplo:

* Agua.
* Caldo claro.
* Jugo de manzana o de uva blanca.
* Gelatina sin fruta o paletas de hielo.
* Bebidas deportivas, o té o café sin leche ni crema.

No tome nada rojo ni morado. Estos colores pueden parecer sangre en el colon.

Empiece a tomar la preparación a la hora que dice su hoja. La mayoría de las personas la
toma en dos partes: la mitad en la noche anterior y el resto temprano en la mañana de la
prueba. Así el colon queda más limpio.

## Consejos para tomar la preparación

* Enfríe la bebida en el refrigerador.
* Tómela con un popote.
* Chupe una rodaja de limón o un caramelo duro entre un vaso y otro.
* Tome más líquidos claros para no deshidratarse.

Va a tener muchas heces líquidas. Quédese cerca de un baño.

## ¿Cómo sé si funcionó?

Al final, sus heces deben verse como un líquido claro o amarillo claro. Si todavía son de
color café o tienen pedacitos, llame al número de su hoja.

## El día de la prueba

* Termine la segunda parte de la preparación a la hora que dice su hoja.
* Deje de tomar todo líquido cuando su hoja lo indique. Muchas veces es de dos a cuatro
  horas antes de la prueba.
* Traiga su identificación, su lista de medicinas y a la persona que lo llevará a casa.

Llame si se siente muy mal, si vomita la preparación o si no puede terminarla.
""",
    "editor_note": "",
    "topics": COLONOSCOPY_PREP["topics"],
    "codes": COLONOSCOPY_PREP["codes"],
    "sources": COLONOSCOPY_PREP["sources"],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.haddad",
    "review_comment": "Faithful translation of the English preparation guide.",
}

BLOOD_PRESSURE_ES = {
    "slug": "como-leer-su-presion-arterial",
    "locale": "es",
    "translation_of": "reading-your-blood-pressure",
    "title": "Cómo leer los números de su presión arterial",
    "summary": (
        "Aprenda qué significan los dos números de su presión arterial, cuándo una lectura es "
        "alta y cómo medirla bien en casa."
    ),
    "body": """## ¿Qué significan los dos números?

Una lectura de presión arterial tiene dos números, por ejemplo 128/82. Se dice "128 sobre
82".

* El **número de arriba** es la presión sistólica. Es la fuerza de la sangre contra las
  arterias cuando el corazón late.
* El **número de abajo** es la presión diastólica. Es la fuerza cuando el corazón descansa
  entre latidos.

Los dos números importan.

## ¿Qué significan mis números?

| Grupo | Número de arriba | Número de abajo |
| --- | --- | --- |
| Normal | Menos de 120 | y menos de 80 |
| Elevada | De 120 a 129 | y menos de 80 |
| Alta, etapa 1 | De 130 a 139 | o de 80 a 89 |
| Alta, etapa 2 | 140 o más | o 90 o más |

Si sus dos números caen en grupos distintos, cuenta el grupo más alto.

Una sola lectura alta no quiere decir que usted tenga presión alta. La presión sube y baja
durante el día. Su médico mirará varias lecturas, de días distintos, antes de darle un
diagnóstico.

## ¿Por qué importa la presión alta?

La presión alta casi nunca da síntomas. Muchas personas se sienten bien. Pero con el tiempo
daña el corazón y los vasos sanguíneos. Aumenta el riesgo de ataque al corazón, derrame
cerebral, enfermedad de los riñones y pérdida de la vista.

## ¿Cómo tomo una buena lectura en casa?

Use un aparato con un brazalete que se pone en la parte de arriba del brazo. El brazalete
debe ser del tamaño correcto para su brazo.

Antes de medir:

* No fume, no haga ejercicio ni tome café durante 30 minutos.
* Vaya al baño.
* Siéntese tranquilo durante 5 minutos.

Mientras mide:

* Siéntese con la espalda apoyada y los pies en el piso.
* Apoye el brazo en una mesa, con el brazalete a la altura del corazón.
* Ponga el brazalete sobre la piel, no sobre la ropa.
* No hable.

Tome dos lecturas con un minuto de diferencia. Anote las dos, con la fecha y la hora.
Lleve sus notas o su aparato a su próxima cita.

## ¿Cuándo debo buscar ayuda?

Si su lectura es mayor de 180 sobre 120, espere unos minutos y mídala otra vez. Si sigue
igual de alta, llame a su médico de inmediato.

Llame al 911 si la lectura muy alta viene con alguna de estas señales:

* Dolor de pecho o falta de aire.
* Dolor de espalda.
* Adormecimiento o debilidad.
* Problemas para ver o para hablar.

## ¿Cómo puedo bajar mi presión?

* Coma menos sal y más frutas y verduras.
* Mueva el cuerpo casi todos los días.
* Tome menos alcohol y no fume.
* Tome su medicina todos los días, aunque se sienta bien.
""",
    "editor_note": "",
    "topics": BLOOD_PRESSURE["topics"],
    "codes": BLOOD_PRESSURE["codes"],
    "sources": [
        {
            "title": "MedlinePlus en español: Presión arterial alta",
            "url": "https://medlineplus.gov/spanish/highbloodpressure.html",
        },
        {
            "title": "CDC: About High Blood Pressure",
            "url": "https://www.cdc.gov/high-blood-pressure/about/index.html",
        },
    ],
    "authors": [MARISOL],
    "editor": "marisol",
    "reviewer": "dr.haddad",
    "review_comment": "Faithful translation; categories and thresholds match.",
}

# In loading order: an original comes before its translations.
DEMO_ARTICLES = [
    MAMMOGRAM_CALLBACK,
    DENSE_BREASTS,
    COLONOSCOPY_PREP,
    FIT_TEST,
    LUNG_SCREENING,
    A1C,
    LOW_BLOOD_SUGAR,
    FOOT_CARE,
    BLOOD_PRESSURE,
    HEART_ATTACK,
    BONE_DENSITY,
    KIDNEY_TESTS,
    FLU_VACCINE,
    SHINGLES_VACCINE,
    DEPRESSION,
    MAMMOGRAM_CALLBACK_ES,
    A1C_ES,
    COLONOSCOPY_PREP_ES,
    BLOOD_PRESSURE_ES,
]
