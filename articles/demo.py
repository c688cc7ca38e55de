"""The demo for `make run`: its staff, topics, and the workflow script its library is taken through.

The content itself, every revision of every demo article, is in `demo/library/` as content
files (docs/content-files.md), read by the same loader as `manage.py import_articles`. The
text is original, written for this project in plain language (reading grade 8 or lower by
`delivery.rendering.body_reading_grade`; 300 to 900 words). Each article cites public
health-agency pages on the same subject by title and address only; none of their words are
copied.

This module says what the files cannot: who writes each revision, who reviews it, and how
far through the workflow it goes. `load_demo_content` takes the files in DEMO_WORKFLOW's
order (an original before its translations, a revision after the one it is based on)
through the real workflow, so audit trail, delivery documents and change feed are real too.
"""

from dataclasses import dataclass

from django.conf import settings

LIVE = "live"
SCHEDULED = "scheduled"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"

DEMO_LIBRARY = settings.BASE_DIR / "demo" / "library"

# A scheduled article goes live this many days after the demo is loaded.
SCHEDULE_IN_DAYS = 3

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
    # username, roles, display name, credentials, languages they may sign off as reviewers
    ("ana", ["editor"], "Ana Ruiz", "RN, patient-education editor", []),
    ("marisol", ["editor"], "Marisol Vega", "RN, bilingual patient-education editor", []),
    ("dr.chen", ["reviewer"], "Dr. Mei Chen", "MD, breast radiologist", ["en", "es"]),
    ("dr.okafor", ["reviewer"], "Dr. Chidi Okafor", "MD, endocrinologist", ["en", "es"]),
    # English only: the demo's reviewer who may not approve a Spanish text.
    ("dr.haddad", ["reviewer"], "Dr. Samir Haddad", "MD, internist and cardiologist", ["en"]),
    ("sam", ["publisher"], "Sam Patel", "Web publisher", []),
    ("admin", ["admin"], "Site administrator", "", []),
]

# The publisher who puts approved demo revisions live or schedules them.
DEMO_PUBLISHER = "sam"


@dataclass(frozen=True)
class DemoStep:
    """One file of the demo library and how far through the workflow its revision goes."""

    # The content file, relative to DEMO_LIBRARY.
    file: str
    # Username of the editor who writes the revision (and submits it).
    editor: str
    # Username of the clinical reviewer who approves it or asks for changes.
    reviewer: str
    # LIVE (approved and published), SCHEDULED (approved and scheduled SCHEDULE_IN_DAYS
    # ahead), IN_REVIEW (submitted) or CHANGES_REQUESTED (sent back).
    state: str = LIVE
    # What the reviewer writes when approving or asking for changes.
    review_comment: str = "Clinically accurate."
    # Internal notes written while in review, (username, text): the first starts a thread
    # and each one after it replies to the first.
    notes: tuple[tuple[str, str], ...] = ()


DEMO_WORKFLOW = [
    # Breast health: a live article with a second live revision, which added a section.
    DemoStep(
        "en/screening-mammogram-callback.r1.md",
        editor="ana",
        reviewer="dr.chen",
        review_comment="Clinically accurate. The recall numbers match what we see here.",
    ),
    DemoStep(
        "en/screening-mammogram-callback.r2.md",
        editor="ana",
        reviewer="dr.chen",
        review_comment="Good addition; the calcification section is accurate.",
    ),
    DemoStep(
        "en/dense-breasts.md",
        editor="ana",
        reviewer="dr.chen",
        review_comment="Accurate, and the density groups match the BI-RADS wording.",
    ),
    # Colorectal and lung health
    DemoStep(
        "en/colonoscopy-prep.md",
        editor="ana",
        reviewer="dr.haddad",
        review_comment="Clinically accurate. Split dosing is the right default to describe.",
    ),
    DemoStep(
        "en/fit-stool-test.md",
        editor="marisol",
        reviewer="dr.haddad",
        review_comment="Accurate. Glad it says a positive FIT needs a colonoscopy.",
    ),
    DemoStep(
        "en/lung-cancer-screening.md",
        editor="ana",
        reviewer="dr.chen",
        review_comment="Accurate and balanced on benefits and harms.",
    ),
    # Diabetes: one article sent back with changes requested.
    DemoStep(
        "en/understanding-your-a1c.r1.md",
        editor="ana",
        reviewer="dr.okafor",
        review_comment="Clinically accurate; the average glucose figures are correct.",
    ),
    DemoStep(
        "en/low-blood-sugar.md",
        editor="ana",
        reviewer="dr.okafor",
        review_comment="Accurate. The 15-15 rule and the glucagon advice are right.",
    ),
    DemoStep(
        "en/diabetes-foot-care.md",
        editor="marisol",
        reviewer="dr.okafor",
        state=CHANGES_REQUESTED,
        review_comment=(
            "Nearly there. Please add two things before this goes live: people with numb feet "
            "should test bath water with an elbow or a thermometer, not their feet; and give a "
            "clear time to call about a sore (for example, one that is not better in a day or "
            "two)."
        ),
    ),
    # Heart health: a second editor adds a section; it waits in review, with a question from
    # the reviewer and the editor's answer as a thread of notes, while revision 1 stays live.
    DemoStep(
        "en/reading-your-blood-pressure.r1.md",
        editor="ana",
        reviewer="dr.haddad",
        review_comment="Accurate; the categories follow the current guideline.",
    ),
    DemoStep(
        "en/heart-attack-warning-signs.r1.md",
        editor="ana",
        reviewer="dr.haddad",
        review_comment="Clinically accurate. The 911 steps are in the right order.",
    ),
    DemoStep(
        "en/heart-attack-warning-signs.r2.md",
        editor="marisol",
        reviewer="dr.haddad",
        state=IN_REVIEW,
        notes=(
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
        ),
    ),
    # Bone and kidney health. The kidney article is the one soon due for re-review. Nothing
    # in the workflow can create an article whose review is already past due (next_review_due
    # counts from the approval, which happens now), and the demo must never write states or
    # dates directly. So its file gives it a one-day review interval (review_interval_days:
    # 1): it falls due one day after loading, so it heads any "due soon" list from the start
    # and is overdue (GET /api/v1/manage/articles/?review_overdue=true) from then on, until
    # a reviewer certifies it (article_certify_review).
    DemoStep(
        "en/bone-density-test.md",
        editor="marisol",
        reviewer="dr.okafor",
        review_comment="Accurate. The T-score table uses the standard cut-offs.",
    ),
    DemoStep(
        "en/kidney-function-egfr.md",
        editor="ana",
        reviewer="dr.haddad",
        review_comment="Accurate for adults; ready to publish.",
    ),
    # Vaccines: one approved and scheduled to go live in a few days.
    DemoStep(
        "en/flu-vaccine.md",
        editor="ana",
        reviewer="dr.haddad",
        review_comment="Accurate; matches this season's advice.",
    ),
    DemoStep(
        "en/shingles-vaccine.md",
        editor="marisol",
        reviewer="dr.haddad",
        state=SCHEDULED,
        review_comment="Accurate. Fine to go live on the scheduled date.",
    ),
    # Mental health
    DemoStep(
        "en/depression-signs-and-help.md",
        editor="marisol",
        reviewer="dr.haddad",
        review_comment="Accurate and kind in tone. The crisis line is correct.",
    ),
    # Spanish translations, each after its English original.
    DemoStep(
        "es/llamada-despues-de-mamografia.md",
        editor="marisol",
        reviewer="dr.chen",
        review_comment="Faithful to the English article, calcifications section included.",
    ),
    DemoStep(
        "es/entender-su-a1c.md",
        editor="marisol",
        reviewer="dr.okafor",
        review_comment="Faithful translation; the numbers match the English article.",
    ),
    DemoStep(
        "es/preparacion-para-colonoscopia.md",
        editor="marisol",
        reviewer="dr.chen",
        review_comment="Faithful translation of the English preparation guide.",
    ),
    DemoStep(
        "es/como-leer-su-presion-arterial.md",
        editor="marisol",
        reviewer="dr.okafor",
        review_comment="Faithful translation; categories and thresholds match.",
    ),
    # After their translations: an English change of meaning (a new warning sign) makes the
    # live Spanish A1C article outdated at once, so EHRs get the English until it is
    # translated again; an English change of wording only leaves the Spanish blood pressure
    # article current. The Spanish mammogram call-back translates the live English: current.
    DemoStep(
        "en/understanding-your-a1c.r2.md",
        editor="ana",
        reviewer="dr.okafor",
        review_comment="Good: the warning signs of very high blood sugar are right.",
    ),
    DemoStep(
        "en/reading-your-blood-pressure.r2.md",
        editor="ana",
        reviewer="dr.haddad",
        review_comment="Agreed: wording only, the advice is unchanged.",
    ),
]
