"""Every knowledge-base id the Python code names, in one registry.

The knowledge base (``resources/knowledge``) is data; a few of its ids are also
written in code (the findings a vital sign implies, the pregnancy context, the
pain-severity findings ...). If the data renames or deletes one of them the code
would silently stop producing or reading it — an adult with SpO2 84% would no
longer be an emergency. So code names these ids only through the constants below,
and :func:`lantern.clinical.knowledge.read_knowledge` reports every registered id
the data does not define, with the file expected to define it and the code that
needs it.

Each entry says which data file defines the id today (a finding may move between
``findings.toml`` and ``findings_extra.toml``: both are one lexicon), which code
needs it, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("finding", "condition", "rule")

_VITALS = "lantern.clinical.language.vitals.derive"
_FINDINGS = "lantern.clinical.language.findings"
_TRIAGE = "lantern.clinical.triage.is_pregnant_context"
_LLM_PROMPT = "lantern.clinical.llm_assist.findings_prompt"


@dataclass(frozen=True, slots=True)
class KnowledgeId:
    id: str
    kind: str                 # finding | condition | rule
    file: str                 # the data file expected to define it (relative to resources/knowledge)
    used_by: tuple[str, ...]  # the code that names it
    why: str


REGISTRY: dict[str, KnowledgeId] = {}


def _register(kid: str, *, kind: str, file: str, used_by: tuple[str, ...], why: str) -> str:
    if kid in REGISTRY:
        raise ValueError(f"knowledge id {kid!r} registered twice")
    REGISTRY[kid] = KnowledgeId(id=kid, kind=kind, file=file, used_by=used_by, why=why)
    return kid


def _finding(kid: str, *, used_by: tuple[str, ...], why: str, file: str = "findings.toml") -> str:
    return _register(kid, kind="finding", file=file, used_by=used_by, why=why)


# --- findings implied by a vital sign (structured or written in the note) ----------------
FEVER = _finding("fever", used_by=(_VITALS, _FINDINGS),
                 why="temperature >= 37.5 °C; a high temperature is also a fever")
HIGH_FEVER = _finding("high_fever", used_by=(_VITALS, _FINDINGS), why="temperature >= 39 °C")
VERY_HIGH_FEVER = _finding("very_high_fever", used_by=(_VITALS, _FINDINGS),
                           why="temperature >= 40 °C (triage rule of the same name)")
HYPOTHERMIA = _finding("hypothermia", used_by=(_VITALS,), why="temperature < 35.5 °C")
# --- findings implied by the age (issue 11, session 19) ----------------
JAUNDICE = _finding("jaundice", used_by=(_FINDINGS,),
                    why="jaundice in a newborn under 24 hours old is jaundice in the first 24 hours")
JAUNDICE_FIRST_24H = _finding("jaundice_first_24h", used_by=(_FINDINGS,), file="findings_newborn_women.toml",
                              why="WHO IMCI young infant / Pocket Book: jaundice on the first day is severe")
FAST_BREATHING = _finding("fast_breathing", used_by=(_VITALS,),
                          why="respiratory rate at or above the IMCI cut-off for age")
VERY_FAST_BREATHING = _finding("very_fast_breathing", used_by=(_VITALS,),
                               why="RR >= 60 under 2 months, >= 30 from 12 years")
TACHYCARDIA = _finding("tachycardia", used_by=(_VITALS,), why="heart rate above the cut-off for age")
HYPOXAEMIA = _finding("hypoxaemia", used_by=(_VITALS,),
                      why="SpO2 < 90%: the ETAT emergency sign")
LOW_SPO2 = _finding("low_spo2", used_by=(_VITALS,), why="SpO2 90-93%")
SPO2_NORMAL = _finding("spo2_normal", used_by=(_VITALS,), file="findings_reading.toml",
                       why="SpO2 >= 95% measured: a reported breathlessness without desaturation "
                           "(triage rule difficult_breathing)")
HYPOTENSION = _finding("hypotension", used_by=(_VITALS,), why="systolic BP below the cut-off for age")
RAISED_BP = _finding("raised_bp", used_by=(_VITALS,), why="BP >= 140/90")
SEVERE_HYPERTENSION = _finding("severe_hypertension", used_by=(_VITALS,), why="BP >= 160/110")
HYPERTENSIVE_CRISIS = _finding("hypertensive_crisis", used_by=(_VITALS,), why="BP >= 180/120")
HYPOGLYCAEMIA = _finding("hypoglycaemia", used_by=(_VITALS,),
                         why="glucose < 3.9 mmol/L (< 3.0 in children)")
HYPERGLYCAEMIA = _finding("hyperglycaemia", used_by=(_VITALS,), why="glucose >= 11.1 mmol/L")
VERY_HIGH_GLUCOSE = _finding("very_high_glucose", used_by=(_VITALS,), why="glucose >= 15 mmol/L")
ANAEMIA_LAB = _finding("anaemia_lab", used_by=(_VITALS,), why="Hb below the WHO cut-off for age, sex, pregnancy")
SEVERE_ANAEMIA_LAB = _finding("severe_anaemia_lab", used_by=(_VITALS,), why="Hb < 7 g/dL (< 8 in adults)")
MUAC_SEVERE = _finding("muac_severe", used_by=(_VITALS,), why="MUAC < 115 mm under 5 years")
MUAC_MODERATE = _finding("muac_moderate", used_by=(_VITALS,), why="MUAC 115-124 mm under 5 years")
_GROWTH = "lantern.clinical.growth.growth_findings"
WFH_SEVERE = _finding("wfh_severe", used_by=(_GROWTH,), file="findings_growth.toml",
                      why="weight-for-length/height < -3 SD (WHO): severe wasting, severe acute malnutrition")
WFH_MODERATE = _finding("wfh_moderate", used_by=(_GROWTH,), file="findings_growth.toml",
                        why="weight-for-length/height -3 to < -2 SD (WHO): moderate wasting")
WFA_SEVERE = _finding("wfa_severe", used_by=(_GROWTH,), file="findings_growth.toml",
                      why="weight-for-age < -3 SD (WHO): severely underweight")
WFA_MODERATE = _finding("wfa_moderate", used_by=(_GROWTH,), file="findings_growth.toml",
                        why="weight-for-age -3 to < -2 SD (WHO): underweight")
LHFA_SEVERE = _finding("lhfa_severe", used_by=(_GROWTH,), file="findings_growth.toml",
                       why="length/height-for-age < -3 SD (WHO): severely stunted")
LHFA_MODERATE = _finding("lhfa_moderate", used_by=(_GROWTH,), file="findings_growth.toml",
                         why="length/height-for-age -3 to < -2 SD (WHO): stunted")
BRADYCARDIA = _finding("bradycardia", used_by=(_VITALS,), file="findings_extra.toml",
                       why="heart rate < 50 from 12 years (RCUK/ERC 2021 bradycardia algorithm)")
HYPONATRAEMIA = _finding("hyponatraemia", used_by=(_VITALS,), file="findings_breadth7.toml",
                         why="sodium < 130 mmol/L measured (NICE CKS Hyponatraemia)")
# the measured chemistry and slow pulse of old age (issue 11, session 23; findings_old23.toml)
(SEVERE_BRADYCARDIA, SODIUM_BELOW_130, SODIUM_BELOW_125, HYPERKALAEMIA, POTASSIUM_6_OR_MORE, POTASSIUM_6_5_OR_MORE,
 HYPERCALCAEMIA) = (_finding(kid, used_by=(_VITALS,), file="findings_old23.toml", why=why) for kid, why in (
    ("severe_bradycardia", "heart rate < 40 from 12 years: an adverse feature (RCUK/ERC 2021)"),
    ("sodium_below_130", "sodium < 130 mmol/L measured: moderate hyponatraemia (NICE CKS)"),
    ("sodium_below_125", "sodium < 125 mmol/L measured: severe hyponatraemia, admit (NICE CKS)"),
    ("hyperkalaemia", "potassium >= 5.5 mmol/L measured (NICE CKS Hyperkalaemia)"),
    ("potassium_6_or_more", "potassium >= 6.0 mmol/L: same-day care (NICE CKS, UKKA 2023)"),
    ("potassium_6_5_or_more", "potassium >= 6.5 mmol/L: severe, emergency treatment (UKKA 2023)"),
    ("hypercalcaemia", "adjusted calcium > 2.6 mmol/L measured (NICE CKS Hypercalcaemia)")))
UNCONSCIOUS = _finding("unconscious", used_by=(_VITALS,), why="GCS <= 8")
ALTERED_CONSCIOUSNESS = _finding("altered_consciousness", used_by=(_VITALS,), why="GCS 9-14")
CRT_PROLONGED = _finding("crt_prolonged", used_by=(_VITALS,), why="capillary refill > 3 s")

# --- findings the extractor and triage read or emit by name --------------------------------
PREGNANT = _finding("pregnant", used_by=(_FINDINGS, _TRIAGE),
                    why="pregnancy written as gestation ('34/40'); pregnancy-only rules and conditions")
GESTATION_STATED = _finding("gestation_stated", used_by=("lantern.clinical.language.meaning",),
                            file="findings_extra.toml",
                            why="an obstetric reading ('32/40', 'G2P1', 'second pregnancy') states the gestation: "
                                "the wording check compares the reading, not the word")
LARGE_BODY_REGION = _finding("large_body_region", used_by=("lantern.clinical.language.meaning",),
                             file="findings_quiet15.toml",
                             why="the region read for a burn's extent qualifies the burn: the wording check "
                                 "compares it only beside one ('双下肢无水肿' names no burn)")
BURNS = _finding("burns", used_by=("lantern.clinical.language.meaning",),
                 why="the finding a large body region qualifies (triage_rules_quiet15.toml)")
_JOINT = "the joint read as a complaint's site qualifies a joint complaint: the wording check compares it only " \
         "beside one ('oedema of both ankles' names no joint problem)"
_MEANING = ("lantern.clinical.language.meaning",)
JOINT_SITE = _finding("joint_site", used_by=_MEANING, file="findings_skin_msk.toml", why=_JOINT)
ARTHRALGIA = _finding("arthralgia", used_by=_MEANING, why=_JOINT)
JOINT_SWELLING = _finding("joint_swelling", used_by=_MEANING, file="findings_skin_msk.toml", why=_JOINT)
JOINT_STIFFNESS = _finding("joint_stiffness", used_by=_MEANING, file="findings_extra.toml", why=_JOINT)
HOT_RED_JOINT = _finding("hot_red_joint", used_by=_MEANING, file="findings_skin_msk.toml", why=_JOINT)
MISSED_PERIOD = _finding("missed_period", used_by=(_FINDINGS,),
                         why="a last period 5+ weeks ago ('LMP 7 weeks ago', '停经50天'): possible pregnancy")
_EXERTION = "breathless with an exertion next to it ('breathless climbing the hill') is breathless on exertion"
DIFFICULT_BREATHING = _finding("difficult_breathing", used_by=(_FINDINGS,), why=_EXERTION)
EXERTIONAL_TRIGGER = _finding("exertional_trigger", file="findings_ent_eye_cardiac.toml", used_by=(_FINDINGS,),
                              why=_EXERTION)
EXERTIONAL_DYSPNOEA = _finding("exertional_dyspnoea", file="findings_ent_eye_cardiac.toml", used_by=(_FINDINGS,),
                               why=_EXERTION)
IRREGULAR_PULSE = _finding("irregular_pulse", file="findings_ent_eye_cardiac.toml", used_by=(_FINDINGS,),
                           why="a bare 'irregular' is the pulse only with a pulse word before it")
UTERUS_ATONIC = _finding("uterus_atonic", file="findings_newborn_women.toml", used_by=(_FINDINGS,),
                         why="a soft, relaxed uterus before delivery is not atony: dropped without a delivery")
POSTPARTUM = _finding("postpartum", used_by=(_TRIAGE, _FINDINGS),
                      why="just delivered counts as pregnancy context for rules and conditions")
_SHOW = "见红 (a 'show') beside labour contractions late in pregnancy is the start of labour, not antepartum bleeding"
VAGINAL_BLEEDING = _finding("vaginal_bleeding", used_by=(_FINDINGS,), why=_SHOW)
LABOUR_CONTRACTIONS = _finding("labour_contractions", file="findings_preg_surgical.toml", used_by=(_FINDINGS,),
                               why=_SHOW)
LATE_PREGNANCY = _finding("late_pregnancy", used_by=(_TRIAGE, _FINDINGS), file="findings_preg_surgical.toml",
                          why="a gestation of 22 weeks or more ('34 weeks' beside contractions or bleeding) is a "
                              "pregnancy: the pregnancy-only rules that name it (antepartum haemorrhage) can fire")
SEVERE_PAIN = _finding("severe_pain", used_by=(_FINDINGS,),
                       why="'severe'/'moderate' before or after a pain: the triage policy's severe pain")
MILD_PAIN = _finding("mild_pain", file="findings_extra.toml", used_by=(_FINDINGS,),
                     why="'mild' with a pain: stops the severe-pain rule")
HEADACHE = _finding("headache", used_by=(_FINDINGS,), why="a pain finding that takes a severity word")
THROBBING_HEADACHE = _finding("throbbing_headache", used_by=(_FINDINGS,),
                              why="a pain finding that takes a severity word")
BAND_HEADACHE = _finding("band_headache", used_by=(_FINDINGS,),
                         why="a pain finding that takes a severity word")
PAROXYSMAL_COUGH = _finding("paroxysmal_cough", used_by=(_FINDINGS,),
                            why="'coughing fits': later bare 'fits' are not convulsions")
CONVULSIONS = _finding("convulsions", used_by=(_FINDINGS,),
                       why="dropped when 'fits' only repeat the coughing fits")
KNOWN_ASTHMA = _finding("known_asthma", used_by=(_FINDINGS,),
                        why="an inhaler in a COPD note is not evidence of asthma")
KNOWN_COPD = _finding("known_copd", used_by=(_FINDINGS,),
                      why="decides what an inhaler means (see known_asthma)")
PROSTRATION = _finding("prostration", used_by=(_FINDINGS,),
                       why="'cannot stand' after an injury is the injured limb's, not prostration")
REFUSES_TO_BEAR_WEIGHT = _finding("refuses_to_bear_weight", used_by=(_FINDINGS,),
                                  why="what 'cannot stand' means after an injury")
_INJURY = "an injury or injured limb: 'cannot stand' is mechanical, not prostration"
INJURY_STRAIN = _finding("injury_strain", used_by=(_FINDINGS,), why=_INJURY)
MAJOR_TRAUMA = _finding("major_trauma", used_by=(_FINDINGS,), why=_INJURY)
DEFORMITY = _finding("deformity", used_by=(_FINDINGS,), why=_INJURY)
HIP_FRACTURE_SIGN = _finding("hip_fracture_sign", used_by=(_FINDINGS,), file="findings_old23.toml", why=_INJURY)
BONE_PAIN = _finding("bone_pain", used_by=(_FINDINGS,), why=_INJURY)
BACK_PAIN = _finding("back_pain", used_by=(_FINDINGS,),
                    why="'no red flags' negates the back pain red flags (resources/language/answers.toml)")
LIMB_PAIN = _finding("limb_pain", used_by=(_FINDINGS,), why=_INJURY)
WEIGHTBEARING_JOINT_PAIN = _finding("weightbearing_joint_pain", used_by=(_FINDINGS,), why=_INJURY)
_PRESSED = "chest pain made worse by pressing ('按压时加重', 'worse when pressing') is chest-wall tenderness"
CHEST_PAIN = _finding("chest_pain", used_by=(_FINDINGS,), why=_PRESSED)
PAIN_ON_MOVEMENT = _finding("pain_on_movement", used_by=(_FINDINGS,), why=_PRESSED)
CHEST_WALL_TENDERNESS = _finding("chest_wall_tenderness", used_by=(_FINDINGS,), why=_PRESSED,
                                 file="findings_breadth3.toml")

# --- findings the summary's meaning check gives a result or a trend (issue 13, session 21) ------
_DIPSTICK = "a urine dipstick grade says its finding, present or absent (WHO reagent-strip urinalysis)"
PROTEINURIA = _finding("proteinuria", used_by=_MEANING, why=_DIPSTICK)
GLYCOSURIA = _finding("glycosuria", used_by=_MEANING, why=_DIPSTICK)
KETONURIA = _finding("ketonuria", used_by=_MEANING, why=_DIPSTICK)
URINE_NITRITE = _finding("urine_nitrite", used_by=_MEANING, why=_DIPSTICK + " (nitrite, leucocytes)")
HAEMATURIA = _finding("haematuria", used_by=_MEANING, why=_DIPSTICK)
WEIGHT_LOSS = _finding("weight_loss", used_by=_MEANING, why="a weight lower than before, however worded")
WEIGHT_GAIN = _finding("weight_gain", used_by=_MEANING, why="a weight higher than before, however worded",
                       file="findings_gu_endo_renal.toml")

# --- ids written in the example of the LLM findings prompt -----------------------------------
STRIDOR = _finding("stridor", used_by=(_LLM_PROMPT,), why="the prompt's worked example answer")
UNABLE_TO_DRINK = _finding("unable_to_drink", used_by=(_LLM_PROMPT,),
                           why="the prompt's worked example answer")


def missing_ids(*, findings: set[str], conditions: set[str], rules: set[str],
                registry: dict[str, KnowledgeId] | None = None) -> list[str]:
    """One problem line per registered id the knowledge base does not define."""
    defined = {"finding": findings, "condition": conditions, "rule": rules}
    problems = []
    for entry in (REGISTRY if registry is None else registry).values():
        if entry.id not in defined[entry.kind]:
            problems.append(
                f"{entry.file}: {entry.kind} id {entry.id!r} is missing, but the code needs it "
                f"({', '.join(entry.used_by)}: {entry.why})")
    return problems
