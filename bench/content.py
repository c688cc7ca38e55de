"""Generated patient-education content for the benchmark: topics, codes, titles and bodies.

Everything here is made from a small hand-written vocabulary and sentence templates, with a
seeded random generator per article, so a run is reproducible and nothing is copied from a
real source. The text reads like patient education (headings, short paragraphs, lists) and
has the length of the real thing (600 to 1,500 words), which is what the renderer, the
reading-grade computation and the search index cost depends on.
"""

import random
import zlib
from dataclasses import dataclass, field

from django.utils.text import slugify

# ------------------------------------------------------------------------------
# Vocabulary: (English, Spanish) pairs, grouped by body system
# ------------------------------------------------------------------------------
Pair = tuple[str, str]


@dataclass(frozen=True)
class BodySystem:
    slug: str
    name: Pair
    # First letter of the ICD-10-CM chapter the conditions fall in.
    icd_letter: str
    part: Pair
    conditions: tuple[Pair, ...]
    tests: tuple[Pair, ...]
    procedures: tuple[Pair, ...]
    medicines: tuple[Pair, ...]
    symptoms: tuple[Pair, ...]


# One body system per `system` line: slug, ICD-10-CM chapter letter, name; then its word
# lists, each a `;`-separated list of `English = Spanish` pairs (indented lines continue).
VOCABULARY = """
system heart | I | Heart and blood vessels = Corazón y vasos sanguíneos
  part: heart = su corazón
  conditions: high blood pressure = la presión arterial alta; heart failure = la insuficiencia
    cardíaca; atrial fibrillation = la fibrilación auricular; angina = la angina de pecho;
    heart valve disease = la enfermedad de las válvulas cardíacas; peripheral artery disease
    = la enfermedad arterial periférica
  tests: echocardiogram = el ecocardiograma; stress test = la prueba de esfuerzo; cholesterol
    test = el análisis de colesterol; Holter monitor = el monitor Holter
  procedures: cardiac catheterization = el cateterismo cardíaco; pacemaker placement = la
    colocación de un marcapasos; heart bypass surgery = la cirugía de bypass coronario
  medicines: blood thinners = los anticoagulantes; beta blockers = los betabloqueantes; water
    pills = los diuréticos
  symptoms: chest pain = dolor en el pecho; shortness of breath = falta de aire; swollen
    ankles = tobillos hinchados; a racing heartbeat = latidos rápidos; tiredness = cansancio
system lungs | J | Lungs and breathing = Pulmones y respiración
  part: lungs = sus pulmones
  conditions: asthma = el asma; COPD = la EPOC; pneumonia = la neumonía; sleep apnea = la
    apnea del sueño; bronchitis = la bronquitis
  tests: spirometry = la espirometría; chest X-ray = la radiografía de tórax; pulse oximetry =
    la oximetría de pulso; sleep study = el estudio del sueño
  procedures: bronchoscopy = la broncoscopia; lung biopsy = la biopsia de pulmón
  medicines: inhalers = los inhaladores; steroid tablets = las pastillas de corticoides;
    antibiotics = los antibióticos
  symptoms: wheezing = silbidos al respirar; coughing = tos; shortness of breath = falta de
    aire; chest tightness = opresión en el pecho; fever = fiebre
system kidneys | N | Kidneys and urinary tract = Riñones y vías urinarias
  part: kidneys = sus riñones
  conditions: chronic kidney disease = la enfermedad renal crónica; kidney stones = los
    cálculos renales; urinary tract infection = la infección urinaria; overactive bladder =
    la vejiga hiperactiva; enlarged prostate = el agrandamiento de la próstata
  tests: urine test = el análisis de orina; kidney ultrasound = la ecografía renal; creatinine
    blood test = el análisis de creatinina; cystoscopy = la cistoscopia
  procedures: dialysis = la diálisis; lithotripsy = la litotricia; kidney transplant = el
    trasplante de riñón
  medicines: antibiotics = los antibióticos; bladder medicines = los medicamentos para la
    vejiga; phosphate binders = los quelantes de fósforo
  symptoms: burning when you pass urine = ardor al orinar; back pain = dolor de espalda; blood
    in the urine = sangre en la orina; swelling = hinchazón; needing to pass urine often =
    ganas frecuentes de orinar
system digestive | K | Stomach and digestion = Estómago y digestión
  part: stomach = su estómago
  conditions: acid reflux = el reflujo ácido; irritable bowel syndrome = el síndrome del
    intestino irritable; gallstones = los cálculos biliares; Crohn's disease = la enfermedad
    de Crohn; constipation = el estreñimiento; fatty liver disease = el hígado graso
  tests: colonoscopy = la colonoscopia; upper endoscopy = la endoscopia digestiva alta; liver
    function test = las pruebas de función hepática; stool test = el análisis de heces
  procedures: gallbladder removal = la extirpación de la vesícula; hernia repair = la
    reparación de una hernia; appendix removal = la extirpación del apéndice
  medicines: antacids = los antiácidos; stool softeners = los ablandadores de heces; acid
    blockers = los bloqueadores de ácido
  symptoms: heartburn = acidez; bloating = hinchazón abdominal; belly pain = dolor de barriga;
    nausea = náuseas; diarrhea = diarrea
system breast | N | Breast health = Salud de las mamas
  part: breast = sus mamas
  conditions: breast cyst = el quiste de mama; breast cancer = el cáncer de mama; mastitis =
    la mastitis; dense breast tissue = el tejido mamario denso
  tests: screening mammogram = la mamografía de detección; breast ultrasound = la ecografía
    mamaria; breast MRI = la resonancia magnética de mama; needle biopsy = la biopsia con
    aguja
  procedures: lumpectomy = la tumorectomía; mastectomy = la mastectomía; sentinel node biopsy
    = la biopsia del ganglio centinela
  medicines: hormone therapy = la terapia hormonal; pain relievers = los analgésicos
  symptoms: a new lump = un bulto nuevo; skin dimpling = piel con hoyuelos; nipple discharge =
    secreción del pezón; breast pain = dolor en la mama
system bones | M | Bones, joints and muscles = Huesos, articulaciones y músculos
  part: joints = sus articulaciones
  conditions: osteoarthritis = la artrosis; osteoporosis = la osteoporosis; gout = la gota;
    low back pain = el dolor lumbar; rheumatoid arthritis = la artritis reumatoide
  tests: bone density scan = la densitometría ósea; joint X-ray = la radiografía de la
    articulación; uric acid test = el análisis de ácido úrico
  procedures: knee replacement = el reemplazo de rodilla; hip replacement = el reemplazo de
    cadera; shoulder arthroscopy = la artroscopia de hombro
  medicines: anti-inflammatory medicines = los antiinflamatorios; calcium and vitamin D = el
    calcio y la vitamina D; joint injections = las inyecciones en la articulación
  symptoms: stiffness = rigidez; joint pain = dolor en las articulaciones; swelling =
    hinchazón; trouble walking = dificultad para caminar
system brain | G | Brain and nerves = Cerebro y nervios
  part: brain = su cerebro
  conditions: migraine = la migraña; epilepsy = la epilepsia; stroke = el accidente
    cerebrovascular; Parkinson's disease = la enfermedad de Parkinson; nerve pain = el dolor
    neuropático
  tests: EEG = el electroencefalograma; brain MRI = la resonancia magnética cerebral; nerve
    conduction study = el estudio de conducción nerviosa
  procedures: carotid surgery = la cirugía de carótida; lumbar puncture = la punción lumbar
  medicines: seizure medicines = los medicamentos anticonvulsivos; migraine medicines = los
    medicamentos para la migraña
  symptoms: headache = dolor de cabeza; numbness = entumecimiento; dizziness = mareo; weakness
    on one side = debilidad en un lado del cuerpo; confusion = confusión
system hormones | E | Diabetes and hormones = Diabetes y hormonas
  part: blood sugar = su azúcar en la sangre
  conditions: type 2 diabetes = la diabetes tipo 2; type 1 diabetes = la diabetes tipo 1;
    prediabetes = la prediabetes; underactive thyroid = el hipotiroidismo; overactive
    thyroid = el hipertiroidismo
  tests: A1C test = la prueba A1C; thyroid blood test = el análisis de tiroides; glucose
    tolerance test = la prueba de tolerancia a la glucosa
  procedures: thyroid surgery = la cirugía de tiroides; insulin pump start = el inicio de la
    bomba de insulina
  medicines: insulin = la insulina; metformin = la metformina; thyroid hormone pills = las
    pastillas de hormona tiroidea
  symptoms: thirst = sed; tiredness = cansancio; blurred vision = visión borrosa; weight
    change = cambios de peso; feeling shaky = temblores
system skin | L | Skin = Piel
  part: skin = su piel
  conditions: eczema = el eccema; psoriasis = la psoriasis; shingles = el herpes zóster; skin
    cancer = el cáncer de piel; cellulitis = la celulitis infecciosa
  tests: skin biopsy = la biopsia de piel; patch test = la prueba del parche
  procedures: mole removal = la extirpación de un lunar; Mohs surgery = la cirugía de Mohs
  medicines: steroid creams = las cremas de corticoides; moisturizers = las cremas hidratantes
  symptoms: itching = picazón; a rash = sarpullido; dry skin = piel seca; redness =
    enrojecimiento
system eyes | H | Eyes and vision = Ojos y visión
  part: eyes = sus ojos
  conditions: cataracts = las cataratas; glaucoma = el glaucoma; macular degeneration = la
    degeneración macular; dry eye = el ojo seco; diabetic eye disease = la retinopatía
    diabética
  tests: dilated eye exam = el examen de ojos con dilatación; eye pressure test = la prueba de
    presión ocular
  procedures: cataract surgery = la cirugía de cataratas; laser eye treatment = el tratamiento
    láser de los ojos
  medicines: eye drops = las gotas para los ojos; vitamin supplements = los suplementos
    vitamínicos
  symptoms: blurred vision = visión borrosa; eye pain = dolor de ojos; glare =
    deslumbramiento; red eyes = ojos rojos
system ent | H | Ear, nose and throat = Oído, nariz y garganta
  part: ears = sus oídos
  conditions: ear infection = la infección de oído; hearing loss = la pérdida de audición;
    sinusitis = la sinusitis; tonsillitis = la amigdalitis
  tests: hearing test = la prueba de audición; throat swab = el hisopado de garganta
  procedures: tonsil removal = la extirpación de las amígdalas; ear tubes = los tubos en los
    oídos
  medicines: nasal sprays = los aerosoles nasales; ear drops = las gotas para los oídos
  symptoms: earache = dolor de oído; sore throat = dolor de garganta; stuffy nose = nariz
    tapada; ringing in the ears = zumbido en los oídos
system blood | D | Blood = Sangre
  part: blood = su sangre
  conditions: anemia = la anemia; blood clots = los coágulos de sangre; sickle cell disease =
    la anemia falciforme; low platelets = las plaquetas bajas
  tests: complete blood count = el hemograma completo; iron test = el análisis de hierro;
    clotting test = la prueba de coagulación
  procedures: blood transfusion = la transfusión de sangre; bone marrow biopsy = la biopsia de
    médula ósea
  medicines: iron pills = las pastillas de hierro; blood thinners = los anticoagulantes
  symptoms: paleness = palidez; easy bruising = moretones con facilidad; tiredness =
    cansancio; leg swelling = hinchazón de la pierna
system mind | F | Mental health = Salud mental
  part: mood = su estado de ánimo
  conditions: depression = la depresión; anxiety = la ansiedad; insomnia = el insomnio; panic
    attacks = los ataques de pánico; alcohol use disorder = el trastorno por consumo de
    alcohol
  tests: depression screening = la evaluación de depresión; memory assessment = la evaluación
    de la memoria
  procedures: talk therapy = la terapia de conversación; group therapy = la terapia de grupo
  medicines: antidepressants = los antidepresivos; sleep medicines = los medicamentos para
    dormir
  symptoms: low mood = ánimo bajo; worry = preocupación; trouble sleeping = dificultad para
    dormir; loss of interest = pérdida de interés
system pregnancy | O | Pregnancy and birth = Embarazo y parto
  part: pregnancy = su embarazo
  conditions: gestational diabetes = la diabetes gestacional; preeclampsia = la preeclampsia;
    morning sickness = las náuseas del embarazo; preterm labor = el parto prematuro
  tests: prenatal ultrasound = la ecografía prenatal; glucose screening = la prueba de
    glucosa; group B strep test = la prueba de estreptococo del grupo B
  procedures: cesarean birth = el parto por cesárea; labor induction = la inducción del parto
  medicines: prenatal vitamins = las vitaminas prenatales; iron pills = las pastillas de
    hierro
  symptoms: swelling = hinchazón; headache = dolor de cabeza; bleeding = sangrado; less
    movement from the baby = menos movimientos del bebé
system children | P | Children's health = Salud infantil
  part: child = su niño
  conditions: croup = el crup; bronchiolitis = la bronquiolitis; newborn jaundice = la
    ictericia del recién nacido; fever in babies = la fiebre en bebés; ear infection in
    children = la otitis en niños
  tests: newborn screening = la prueba del recién nacido; lead test = el análisis de plomo
  procedures: circumcision care = el cuidado después de la circuncisión; tonsil removal = la
    extirpación de las amígdalas
  medicines: fever medicines = los medicamentos para la fiebre; oral rehydration = la
    rehidratación oral
  symptoms: fever = fiebre; a barking cough = tos perruna; poor feeding = poco apetito;
    fussiness = irritabilidad
system cancer | C | Cancer care = Atención del cáncer
  part: body = su cuerpo
  conditions: colon cancer = el cáncer de colon; prostate cancer = el cáncer de próstata; lung
    cancer = el cáncer de pulmón; lymphoma = el linfoma; skin melanoma = el melanoma
  tests: PSA test = la prueba de PSA; CT scan = la tomografía computarizada; PET scan = la
    tomografía PET
  procedures: chemotherapy = la quimioterapia; radiation therapy = la radioterapia; port
    placement = la colocación de un puerto
  medicines: anti-nausea medicines = los medicamentos contra las náuseas; pain medicines = los
    medicamentos para el dolor
  symptoms: weight loss = pérdida de peso; night sweats = sudores nocturnos; tiredness =
    cansancio; a lump = un bulto
system infections | A | Infections = Infecciones
  part: immune system = su sistema inmunitario
  conditions: flu = la gripe; COVID-19 = la COVID-19; Lyme disease = la enfermedad de Lyme;
    strep throat = la faringitis estreptocócica; hepatitis C = la hepatitis C
  tests: flu test = la prueba de la gripe; blood culture = el hemocultivo; hepatitis test = el
    análisis de hepatitis
  procedures: wound drainage = el drenaje de una herida; IV antibiotic line = la vía para
    antibióticos intravenosos
  medicines: antivirals = los antivirales; antibiotics = los antibióticos; vaccines = las
    vacunas
  symptoms: fever = fiebre; chills = escalofríos; body aches = dolores musculares; cough = tos
system sleep | G | Sleep = Sueño
  part: sleep = su sueño
  conditions: restless legs syndrome = el síndrome de piernas inquietas; narcolepsy = la
    narcolepsia; snoring = los ronquidos; shift work sleep problems = los problemas de sueño
    por turnos
  tests: overnight sleep study = el estudio del sueño nocturno; home sleep test = la prueba
    del sueño en casa
  procedures: CPAP setup = la instalación del CPAP; oral appliance fitting = el ajuste del
    aparato bucal
  medicines: sleep medicines = los medicamentos para dormir; melatonin = la melatonina
  symptoms: daytime sleepiness = sueño durante el día; loud snoring = ronquidos fuertes;
    morning headache = dolor de cabeza por la mañana; poor focus = falta de concentración
system mouth | K | Mouth and teeth = Boca y dientes
  part: mouth = su boca
  conditions: gum disease = la enfermedad de las encías; tooth decay = las caries; dry mouth =
    la boca seca; mouth sores = las llagas en la boca
  tests: dental X-ray = la radiografía dental; oral cancer check = el examen de cáncer oral
  procedures: tooth extraction = la extracción dental; root canal = la endodoncia
  medicines: fluoride rinses = los enjuagues con flúor; pain relievers = los analgésicos
  symptoms: bleeding gums = encías que sangran; toothache = dolor de muelas; bad breath = mal
    aliento; jaw pain = dolor de mandíbula
system aging | R | Healthy aging = Envejecimiento saludable
  part: balance = su equilibrio
  conditions: falls = las caídas; memory loss = la pérdida de memoria; urinary incontinence =
    la incontinencia urinaria; frailty = la fragilidad
  tests: balance assessment = la evaluación del equilibrio; memory test = la prueba de
    memoria; vitamin B12 test = el análisis de vitamina B12
  procedures: hip fracture repair = la reparación de fractura de cadera; hearing aid fitting =
    el ajuste de audífonos
  medicines: many medicines at once = muchos medicamentos a la vez; vitamin D = la vitamina D
  symptoms: unsteadiness = inestabilidad; forgetfulness = olvidos; weakness = debilidad;
    trouble hearing = dificultad para oír
"""


def _parse_vocabulary(text: str) -> tuple[BodySystem, ...]:
    entries: list[list[str]] = []
    for line in text.strip().splitlines():
        if line.startswith("    "):
            entries[-1][-1] += " " + line.strip()
        elif line.startswith("  "):
            entries[-1].append(line.strip())
        else:
            entries.append([line])

    def pairs(value: str) -> tuple[Pair, ...]:
        return tuple(_pair(item) for item in value.split(";"))

    systems = []
    for header, *groups in entries:
        slug, letter, name = (part.strip() for part in header.removeprefix("system ").split("|"))
        lists = dict(group.split(":", 1) for group in groups)
        systems.append(
            BodySystem(
                slug=slug,
                name=_pair(name),
                icd_letter=letter,
                part=_pair(lists["part"]),
                conditions=pairs(lists["conditions"]),
                tests=pairs(lists["tests"]),
                procedures=pairs(lists["procedures"]),
                medicines=pairs(lists["medicines"]),
                symptoms=pairs(lists["symptoms"]),
            )
        )
    return tuple(systems)


def _pair(text: str) -> Pair:
    english, spanish = (part.strip() for part in text.split("="))
    return english, spanish


SYSTEMS = _parse_vocabulary(VOCABULARY)


@dataclass(frozen=True)
class Aspect:
    slug: str
    name: Pair
    # Which subject list of the body system the title is about.
    subject: str
    title: Pair


ASPECTS: tuple[Aspect, ...] = (
    Aspect("conditions", ("conditions", "enfermedades"), "conditions",
           ("Understanding {x}", "Qué es {x}")),
    Aspect("tests", ("tests", "pruebas"), "tests",
           ("Getting ready for your {x}", "Cómo prepararse para {x}")),
    Aspect("surgery", ("procedures", "procedimientos"), "procedures",
           ("Recovering from {x}", "La recuperación después de {x}")),
    Aspect("medicines", ("medicines", "medicamentos"), "medicines",
           ("Taking {x} safely", "Cómo tomar {x} de forma segura")),
    Aspect("screening", ("screening", "detección"), "conditions",
           ("Screening for {x}: what to expect", "Detección de {x}: qué esperar")),
    Aspect("recovery", ("going home", "alta hospitalaria"), "conditions",
           ("Going home after treatment for {x}", "Volver a casa después del tratamiento de {x}")),
    Aspect("nutrition", ("nutrition", "nutrición"), "conditions",
           ("Eating well with {x}", "Comer bien con {x}")),
    Aspect("exercise", ("staying active", "actividad física"), "conditions",
           ("Staying active with {x}", "Mantenerse activo con {x}")),
    Aspect("prevention", ("prevention", "prevención"), "conditions",
           ("Lowering your risk of {x}", "Cómo reducir el riesgo de {x}")),
    Aspect("children", ("for parents", "para padres"), "conditions",
           ("When your child has {x}", "Cuando su hijo tiene {x}")),
    Aspect("older-adults", ("older adults", "personas mayores"), "conditions",
           ("{x} in older adults", "{x} en personas mayores")),
    Aspect("emergencies", ("urgent care", "urgencias"), "conditions",
           ("{x}: when to get emergency care", "{x}: cuándo buscar atención de urgencia")),
    Aspect("self-care", ("self-care", "autocuidado"), "conditions",
           ("Managing {x} at home", "Cómo controlar {x} en casa")),
    Aspect("questions", ("questions to ask", "preguntas"), "tests",
           ("Questions to ask before your {x}", "Preguntas antes de {x}")),
)  # fmt: skip


# ------------------------------------------------------------------------------
# Topics and codes
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TopicSpec:
    slug: str
    name: str
    parent: str | None


def topic_specs() -> list[TopicSpec]:
    """One parent per body system and one child per system and aspect: 300 topics."""
    specs = []
    for system in SYSTEMS:
        specs.append(TopicSpec(system.slug, system.name[0], None))
        specs.extend(
            TopicSpec(
                f"{system.slug}-{aspect.slug}", f"{system.name[0]}: {aspect.name[0]}", system.slug
            )
            for aspect in ASPECTS
        )
    return specs


def _stable_rng(*parts: str) -> random.Random:
    # crc32, not hash(): the same codes in every process, whatever PYTHONHASHSEED says.
    return random.Random(zlib.crc32("/".join(parts).encode()))


def _loinc(number: int) -> str:
    """A LOINC-shaped code: digits, a hyphen and a mod-10 check digit."""
    digits = [int(d) for d in str(number)]
    total = 0
    for index, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if index % 2 == 0 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return f"{number}-{(10 - total % 10) % 10}"


def condition_codes(system: BodySystem, condition: str) -> list[dict[str, str]]:
    """Three ICD-10-CM codes and two SNOMED CT concepts for a condition, the same every run."""
    rng = _stable_rng(system.slug, condition)
    category = f"{system.icd_letter}{rng.randint(0, 99):02d}"
    icd = [
        {"system": "icd10cm", "code": f"{category}.{sub}", "display": f"{condition.capitalize()}"}
        for sub in sorted(rng.sample(range(10), 3))
    ]
    snomed = [
        {
            "system": "snomedct",
            "code": str(rng.randint(100_000, 999_999_999)),
            "display": f"{condition.capitalize()} ({kind})",
        }
        for kind in ("disorder", "finding")
    ]
    return icd + snomed


def test_code(system: BodySystem, test: str) -> dict[str, str]:
    rng = _stable_rng(system.slug, "test", test)
    return {"system": "loinc", "code": _loinc(rng.randint(1000, 99999)), "display": test}


# ------------------------------------------------------------------------------
# Sentences
# ------------------------------------------------------------------------------
EN_SECTIONS: dict[str, tuple[str, ...]] = {
    "what": (
        "{C} is a common problem that affects the {b}.",
        "Many people live with {c} for years and do well with the right care.",
        "Doctors are not always sure why {c} starts, but some things raise the risk.",
        "It can run in families, and it is more common as people get older.",
        "Some people notice {s} first, while others find out at a routine visit.",
        "It is not your fault, and there is a lot you can do to feel better.",
        "Your care team will explain what kind you have and how it may change over time.",
        "Knowing the name of your condition helps you ask good questions.",
        "It is not contagious, so you cannot catch it from another person or pass it on.",
        "In most people it changes slowly, which gives you time to learn and plan.",
    ),
    "signs": (
        "The most common signs are {s} and {s2}.",
        "Some people also have {s3}, especially at night or after activity.",
        "Signs can come and go, and they may be mild one week and worse the next.",
        "Write down when you notice {s} and what you were doing at the time.",
        "Bring that list to your visit so your doctor can see the pattern.",
        "Do not wait for the problem to go away on its own if it keeps coming back.",
        "A sudden change in how you feel is a reason to call, even at night.",
    ),
    "test": (
        "Your doctor may ask you to have {t} to learn more.",
        "{T} is safe, and most people are done in less than an hour.",
        "You may need to stop eating or drinking for {n} hours before the test.",
        "Wear comfortable clothes and leave jewelry at home.",
        "A nurse will check your name and date of birth before anything starts.",
        "Tell the staff if you are pregnant, or think you might be.",
        "You can usually drive yourself home unless you were given medicine to relax.",
        "Results are often ready in {n} days, and your care team will call you.",
        "If you have not heard back in a week, it is fine to call and ask.",
        "Bring a list of your medicines, including vitamins and herbal products.",
    ),
    "treatment": (
        "Treatment depends on how severe {c} is and on your other health problems.",
        "Many people start with {m}, which help most people within {w} weeks.",
        "Take your medicines at the same time every day, even when you feel well.",
        "Some people need {p}, which your team will talk about with you first.",
        "Ask about side effects, and tell your team if a medicine upsets your stomach.",
        "Do not stop a medicine on your own, because some must be stopped slowly.",
        "Your plan may change over time, and that is normal.",
        "Check-ups every {n} months help your team see how the treatment is working.",
        "Small changes in daily habits often help as much as medicine does.",
    ),
    "home": (
        "Rest when you feel tired, but try to get up and move every day.",
        "Gentle {act} for {n}0 minutes most days helps your {b} and your mood.",
        "Drink plenty of water unless your doctor has told you to limit fluids.",
        "Eat more vegetables, fruit and whole grains, and less salt and sugar.",
        "If you smoke, quitting is one of the best things you can do for your health.",
        "Keep a notebook or use an app to track how you feel each day.",
        "Ask a family member or friend to come to visits and help you remember.",
        "Plan your day so that harder tasks come when you have the most energy.",
        "Sleep at the same times each night, and keep screens out of the bedroom.",
    ),
    "call": (
        "Call your care team if you have {s} that is getting worse.",
        "Call 911 if you have {s} that is severe, or if you faint.",
        "Call us if you have a fever over 100.4°F (38°C) after {p}.",
        "It is always fine to call with a question, day or night.",
        "If you cannot reach us, go to the nearest emergency department.",
    ),
}

EN_HEADINGS: dict[str, tuple[str, ...]] = {
    "what": ("What is {c}?", "About {c}", "How {c} affects your {b}"),
    "signs": ("Signs and symptoms", "What you may notice", "How {c} can feel"),
    "test": (
        "About your {t}",
        "Before the test",
        "What happens during {t}",
        "Getting your results",
    ),
    "treatment": ("How {c} is treated", "Your treatment plan", "Medicines and other treatment"),
    "home": ("Caring for yourself at home", "Everyday tips", "Living well with {c}"),
    "call": ("When to call us", "When to get help right away", "Warning signs"),
}

EN_LIST_ITEMS: tuple[str, ...] = (
    "Take your medicines as prescribed",
    "Keep all follow-up visits, even when you feel well",
    "Write down your questions before each visit",
    "Walk or do gentle {act} most days",
    "Limit alcohol to no more than one drink a day",
    "Check your {b} for changes once a month",
    "Keep a list of your medicines in your wallet",
    "Wash your hands often, especially before eating",
    "Get a flu shot every fall",
    "Ask before taking any new vitamin or herbal product",
    "Tell us about {s} or {s2}",
    "Bring someone with you on the day of {t}",
    "Stop eating {n} hours before {t}",
    "Plan for {n} days off work after {p}",
    "Keep the wound clean and dry",
    "Do not lift more than 10 pounds for {w} weeks",
    "Sleep 7 to 9 hours a night",
    "Eat small meals every few hours",
)

ES_SENTENCES: tuple[str, ...] = (
    "{C} es un problema frecuente que afecta a {b}.",
    "Muchas personas viven con {c} durante años y se sienten bien con el cuidado adecuado.",
    "Los médicos no siempre saben por qué empieza, pero algunas cosas aumentan el riesgo.",
    "Algunas personas notan {s} primero, y otras se enteran en una visita de rutina.",
    "No es su culpa, y hay mucho que usted puede hacer para sentirse mejor.",
    "Su equipo de salud le explicará qué tipo tiene y cómo puede cambiar con el tiempo.",
    "Los signos más comunes son {s} y {s2}.",
    "Anote cuándo nota {s} y qué estaba haciendo en ese momento.",
    "Lleve esa lista a su cita para que su médico pueda ver el patrón.",
    "Su médico puede pedirle {t} para saber más.",
    "Es posible que no deba comer ni beber durante {n} horas antes de la prueba.",
    "Use ropa cómoda y deje las joyas en casa.",
    "Avise al personal si está embarazada o cree que podría estarlo.",
    "Los resultados suelen estar listos en {n} días y su equipo le llamará.",
    "El tratamiento depende de la gravedad de {c} y de sus otros problemas de salud.",
    "Muchas personas empiezan con {m}, que ayudan a la mayoría en {w} semanas.",
    "Tome sus medicamentos a la misma hora todos los días, aunque se sienta bien.",
    "Algunas personas necesitan {p}, y su equipo lo hablará primero con usted.",
    "No deje de tomar un medicamento por su cuenta.",
    "Descanse cuando esté cansado, pero trate de levantarse y moverse todos los días.",
    "Camine {n}0 minutos casi todos los días para ayudar a su cuerpo y a su ánimo.",
    "Beba mucha agua, a menos que su médico le haya dicho que limite los líquidos.",
    "Coma más verduras, frutas y granos integrales, y menos sal y azúcar.",
    "Si fuma, dejar de fumar es una de las mejores cosas que puede hacer por su salud.",
    "Pida a un familiar o amigo que le acompañe a las citas.",
    "Llame a su equipo de salud si tiene {s} que empeora.",
    "Llame al 911 si tiene {s} muy fuerte o si se desmaya.",
    "Siempre puede llamar con una pregunta, de día o de noche.",
    "Si no puede comunicarse con nosotros, vaya a la sala de urgencias más cercana.",
    "Las revisiones cada {n} meses ayudan a ver si el tratamiento funciona.",
)

ES_HEADINGS: tuple[str, ...] = (
    "Qué es {c}", "Signos y síntomas", "Antes de la prueba", "Cómo se trata",
    "Su plan de tratamiento", "Cuidados en casa", "Consejos para cada día",
    "Cuándo llamarnos", "Cuándo buscar ayuda de inmediato", "Preguntas para su médico",
)  # fmt: skip

ES_LIST_ITEMS: tuple[str, ...] = (
    "Tome sus medicamentos como se le indicó",
    "Acuda a todas las citas de control",
    "Anote sus preguntas antes de cada cita",
    "Camine o haga ejercicio suave casi todos los días",
    "Lleve una lista de sus medicamentos",
    "Lávese las manos con frecuencia",
    "Vacúnese contra la gripe cada otoño",
    "Avísenos si tiene {s} o {s2}",
    "Venga acompañado el día de {t}",
    "No coma durante {n} horas antes de {t}",
    "Duerma de 7 a 9 horas cada noche",
)

ACTIVITIES = ("walking", "swimming", "stretching", "cycling", "chair exercises", "yoga")


# ------------------------------------------------------------------------------
# Articles
# ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ArticleSpec:
    """Everything `services.article_create` needs for one generated article."""

    slug: str
    locale: str
    title: str
    summary: str
    body: str
    editor_note: str
    topics: tuple[str, ...]
    codes: tuple[dict[str, str], ...]
    sources: tuple[dict[str, str], ...]
    authors: tuple[dict[str, str], ...]


@dataclass
class _Fill:
    """The words one article's templates are filled with."""

    rng: random.Random
    locale: int  # 0 English, 1 Spanish
    system: BodySystem
    condition: Pair
    words: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        pick = self.rng.choice
        lang = self.locale
        symptoms = self.rng.sample(self.system.symptoms, 3)
        self.words = {
            "c": self.condition[lang],
            "b": self.system.part[lang],
            "t": pick(self.system.tests)[lang],
            "p": pick(self.system.procedures)[lang],
            "m": pick(self.system.medicines)[lang],
            "s": symptoms[0][lang],
            "s2": symptoms[1][lang],
            "s3": symptoms[2][lang],
            "act": pick(ACTIVITIES),
        }

    def __call__(self, template: str) -> str:
        words = dict(self.words)
        words["n"] = str(self.rng.randint(2, 6))
        words["w"] = str(self.rng.randint(2, 8))
        for key in ("c", "t"):
            words[key.upper()] = _capitalize(words[key])
        return template.format(**words)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> int:
    return len(text.split())


def _english_body(fill: _Fill, target_words: int) -> str:
    rng = fill.rng
    blocks: list[str] = []
    order = ["what", "signs", "test", "treatment", "home", "call"]
    words = 0
    while words < target_words:
        for kind in order:
            heading = fill(rng.choice(EN_HEADINGS[kind]))
            sentences = list(EN_SECTIONS[kind])
            rng.shuffle(sentences)
            paragraphs = []
            for start in range(0, rng.randint(4, len(sentences)), 3):
                paragraphs.append(" ".join(fill(s) for s in sentences[start : start + 3]))
            section = [f"## {heading}", *paragraphs]
            if rng.random() < 0.6:
                items = rng.sample(EN_LIST_ITEMS, rng.randint(3, 6))
                marker = "1." if kind == "test" else "*"
                section.append("\n".join(f"{marker} {fill(item)}" for item in items))
            if kind == "treatment" and rng.random() < 0.25:
                section.append(_table(fill))
            text = "\n\n".join(section)
            blocks.append(text)
            words += _words(text)
            if words >= target_words:
                break
    return "\n\n".join(blocks) + "\n"


def _table(fill: _Fill) -> str:
    rows = [
        ("Morning", fill("Take {m} with breakfast")),
        ("Midday", fill("Walk or do {act} for {n}0 minutes")),
        ("Evening", "Check how you feel and write it down"),
    ]
    lines = ["| When | What to do |", "| --- | --- |"]
    lines += [f"| {when} | {what} |" for when, what in rows]
    return "\n".join(lines)


def _spanish_body(fill: _Fill, target_words: int) -> str:
    rng = fill.rng
    blocks: list[str] = []
    words = 0
    headings = list(ES_HEADINGS)
    rng.shuffle(headings)
    index = 0
    while words < target_words:
        sentences = rng.sample(ES_SENTENCES, rng.randint(6, 10))
        paragraphs = [
            " ".join(fill(s) for s in sentences[start : start + 3])
            for start in range(0, len(sentences), 3)
        ]
        section = [f"## {fill(headings[index % len(headings)])}", *paragraphs]
        index += 1
        if rng.random() < 0.5:
            items = rng.sample(ES_LIST_ITEMS, rng.randint(3, 5))
            section.append("\n".join(f"* {fill(item)}" for item in items))
        text = "\n\n".join(section)
        blocks.append(text)
        words += _words(text)
    return "\n\n".join(blocks) + "\n"


SUMMARIES: tuple[Pair, ...] = (
    (
        "What {c} is, what you may notice, and how you and your care team can manage it.",
        "Qué es {c}, qué puede notar y cómo usted y su equipo de salud pueden controlarlo.",
    ),
    (
        "A plain-language guide to {t}: how to get ready, what happens, and when to call.",
        "Una guía sencilla sobre {t}: cómo prepararse, qué pasa y cuándo llamar.",
    ),
    (
        "Practical steps for living well with {c}, from daily habits to warning signs.",
        "Pasos prácticos para vivir bien con {c}, desde los hábitos diarios hasta las señales "
        "de alarma.",
    ),
)

EDITOR_NOTES = (
    "",
    "",
    "",
    "We updated this article to explain the warning signs in plainer words.",
    "This version adds a section on getting ready for your visit.",
)

CREDENTIALS = ("RN", "RN, BSN", "MPH", "RD", "PharmD", "MSN, CNS")


def article_spec(
    index: int,
    *,
    locale: str = "en",
    authors: tuple[dict[str, str], ...] = (),
    seed: int = 1,
) -> ArticleSpec:
    """Article number `index` in `locale`; the Spanish one of an index is its translation."""
    # The subject depends on the index only, so the translation is about the same thing.
    rng = random.Random(index * 7919 + seed)
    system = rng.choice(SYSTEMS)
    aspect = rng.choice(ASPECTS)
    condition = rng.choice(system.conditions)
    subject = (
        rng.choice(getattr(system, aspect.subject)) if aspect.subject != "conditions" else condition
    )
    related = [s for s in SYSTEMS if s is not system]
    extra_aspect = rng.choice(ASPECTS)
    topics = {system.slug, f"{system.slug}-{aspect.slug}", f"{system.slug}-{extra_aspect.slug}"}
    if rng.random() < 0.2:
        topics.add(rng.choice(related).slug)
    codes: dict[tuple[str, str], dict[str, str]] = {}
    condition_pool = condition_codes(system, condition[0])
    for code in [
        *rng.sample(condition_pool[:3], rng.randint(1, 2)),
        rng.choice(condition_pool[3:]),
    ]:
        codes[(code["system"], code["code"])] = code
    if aspect.subject == "tests" or rng.random() < 0.3:
        code = test_code(system, rng.choice(system.tests)[0])
        codes[(code["system"], code["code"])] = code
    # One in five is about the condition as a whole and carries its ICD-10-CM category, which
    # a more specific Infobutton request falls back to. (Its own generator, so the rest of the
    # article is what it was before this was added.)
    if random.Random(index * 31 + seed).random() < 0.2:
        category = condition_pool[0]["code"].split(".")[0]
        codes[("icd10cm", category)] = {
            "system": "icd10cm",
            "code": category,
            "display": condition[0].capitalize(),
        }
    sources = tuple(
        {
            "title": f"{system.name[0]} clinic guideline {2020 + k}",
            "url": f"https://example.org/guidelines/{system.slug}/{2020 + k}",
        }
        for k in sorted(rng.sample(range(6), rng.randint(1, 3)))
    )
    target_words = rng.randint(600, 1500)
    summary_template = rng.choice(SUMMARIES)
    note = rng.choice(EDITOR_NOTES)
    # From here on the text depends on the language.
    lang = 0 if locale == "en" else 1
    text_rng = random.Random(index * 104729 + seed + lang)
    fill = _Fill(text_rng, lang, system, condition)
    title = _capitalize(aspect.title[lang].format(x=subject[lang]))
    if lang == 0:
        body = _english_body(fill, target_words)
    else:
        body = _spanish_body(fill, target_words)
        note = "Traducción revisada por el equipo clínico." if note else ""
    return ArticleSpec(
        slug=f"{slugify(title)[:90].strip('-')}-{index:05d}",
        locale=locale,
        title=title[:200],
        summary=fill(summary_template[lang]),
        body=body,
        editor_note=note,
        topics=tuple(sorted(topics)),
        codes=tuple(codes.values()),
        sources=sources,
        authors=authors,
    )


def search_words(locale: str) -> list[str]:
    """Single words a reader would search for, drawn from the vocabulary the articles use."""
    lang = 0 if locale == "en" else 1
    stop = {"the", "and", "your", "with", "for", "del", "las", "los", "con", "una", "por"}
    words: set[str] = set()
    for system in SYSTEMS:
        for group in (system.conditions, system.tests, system.procedures, system.symptoms):
            for pair in group:
                for word in pair[lang].replace("'s", "").split():
                    word = word.strip("(),.").lower()
                    if len(word) >= 5 and word.isalpha() and word not in stop:
                        words.add(word)
    return sorted(words)
