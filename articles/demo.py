"""Demo content for `make run`: a few short articles written for this project."""

DEMO_TOPICS = [
    ("cancer-screening", "Cancer screening", None),
    ("breast-health", "Breast health", "cancer-screening"),
    ("colorectal-health", "Colorectal health", "cancer-screening"),
    ("diabetes", "Diabetes", None),
]

DEMO_STAFF = [
    # username, roles, display name, credentials
    ("ana", ["editor"], "Ana Ruiz", "RN, patient-education editor"),
    ("dr.chen", ["reviewer"], "Dr. Mei Chen", "MD, breast radiologist"),
    ("dr.okafor", ["reviewer"], "Dr. Chidi Okafor", "MD, endocrinologist"),
    ("sam", ["publisher"], "Sam Patel", "Web publisher"),
    ("admin", ["admin"], "Site administrator", ""),
]

MAMMOGRAM_CALLBACK = {
    "slug": "screening-mammogram-callback",
    "locale": "en",
    "title": "Why you might be called back after a screening mammogram",
    "summary": (
        "Being asked to come back after a mammogram is common, and most call-backs do not "
        "find cancer. Here is what the extra tests are and what to expect."
    ),
    "body": """## What a call-back means

A call-back means the radiologist wants a closer look at one area of the breast. It does
not mean you have cancer. About one in ten people who have a screening mammogram are asked
to come back, and most of them have normal results after the extra pictures.

## Common reasons

* Breast tissue overlapped on the pictures and hid part of the breast.
* A small spot, such as a cluster of calcifications, needs a magnified view.
* This was your first mammogram, so there were no older pictures to compare.

## What happens at the visit

You may have a **diagnostic mammogram**, which takes more pictures of one area, and
sometimes an **ultrasound**. The radiologist often reads them while you wait and talks
with you before you leave.

## When to call us

Call the breast imaging team if you have not heard about your appointment within a week,
or if you notice a new lump, skin change or nipple discharge.
""",
    "editor_note": "We updated this article to explain calcifications in plain words.",
    "topics": ["breast-health", "cancer-screening"],
    "codes": [
        {
            "system": "icd10cm",
            "code": "R92.8",
            "display": "Other abnormal findings on breast imaging",
        },
        {"system": "snomedct", "code": "171176006", "display": "Breast neoplasm screening"},
    ],
    "sources": [
        {"title": "Breast imaging team protocol, 2026", "url": "https://example.org/breast-imaging"}
    ],
    "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
}

COLONOSCOPY_PREP = {
    "slug": "colonoscopy-prep",
    "locale": "en",
    "title": "What a colonoscopy prep involves",
    "summary": "How to get your bowel ready for a colonoscopy, day by day.",
    "body": """## Why the prep matters

Your doctor needs a clean bowel to see its lining. A good prep means a shorter test and
less chance you will need to do it again.

## Three days before

Stop eating seeds, nuts, popcorn and raw vegetables.

## The day before

* Drink only clear liquids: water, clear broth, apple juice, plain gelatin.
* Start the prep drink at the time on your instruction sheet.
* Stay near a toilet. You will have many loose stools.

## The day of the test

Take the second part of the prep if your sheet tells you to. Bring someone who can drive
you home.
""",
    "editor_note": "",
    "topics": ["colorectal-health", "cancer-screening"],
    "codes": [{"system": "icd10cm", "code": "Z12.11", "display": "Screening for colon cancer"}],
    "sources": [{"title": "Endoscopy unit instructions", "url": "https://example.org/endoscopy"}],
    "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
}

A1C = {
    "slug": "understanding-your-a1c",
    "locale": "en",
    "title": "Understanding your A1C",
    "summary": "What the A1C blood test measures and what your number means.",
    "body": """## What A1C measures

A1C shows your average blood sugar over the last two to three months.

| A1C | What it means |
| --- | --- |
| Below 5.7% | Normal |
| 5.7% to 6.4% | Prediabetes |
| 6.5% or higher | Diabetes |

## What you can do

Small steps help: a short walk after meals, water instead of sweet drinks, and taking
your medicines as your care team planned.
""",
    "editor_note": "",
    "topics": ["diabetes"],
    "codes": [
        {
            "system": "loinc",
            "code": "4548-4",
            "display": "Hemoglobin A1c/Hemoglobin.total in Blood",
        },
        {
            "system": "icd10cm",
            "code": "E11.9",
            "display": "Type 2 diabetes mellitus without complications",
        },
    ],
    "sources": [{"title": "Diabetes clinic handout", "url": "https://example.org/diabetes"}],
    "authors": [{"name": "Ana Ruiz", "credentials": "RN"}],
}

A1C_ES = {
    **A1C,
    "slug": "entender-su-a1c",
    "locale": "es",
    "translation_of": "understanding-your-a1c",
    "title": "Entender su A1C",
    "summary": "Qué mide la prueba de sangre A1C y qué significa su número.",
    "body": """## Qué mide la A1C

La A1C muestra su nivel promedio de azúcar en la sangre de los últimos dos o tres meses.

## Qué puede hacer

Los pasos pequeños ayudan: una caminata corta después de comer, agua en lugar de bebidas
dulces y tomar sus medicinas como lo planeó su equipo de salud.
""",
}

DEMO_ARTICLES = [MAMMOGRAM_CALLBACK, COLONOSCOPY_PREP, A1C, A1C_ES]
