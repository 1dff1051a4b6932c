"""Follow-up instructions and dates ("review in 2 weeks", "RTC 3/7", "3天后复诊")."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lantern.clinical.language.text import Span

# (a date written against a Chinese word, "预产期2027-01-01", is a date too: the bounds are
# ASCII letters and digits, not \b, for which a Chinese character is a word character)
DATE_RE = re.compile(
    r"(?<![A-Za-z0-9])(\d{4}-\d{1,2}-\d{1,2})(?![A-Za-z0-9])|(?<![A-Za-z0-9])(\d{1,2}[/.]\d{1,2}[/.]\d{2,4})(?![A-Za-z0-9])|"
    r"(?<![A-Za-z0-9])(\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?)\b|"
    r"\b((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?)\b|"
    r"(\d{4}年\d{1,2}月\d{1,2}日|\d{1,2}月\d{1,2}日)", re.IGNORECASE)

_FU_EN = re.compile(
    r"\b(?:review|rv|r/v|f/u|fu|follow[- ]?up|rtc|return(?: to clinic)?|come back|recheck|re-check|revisit|"
    r"see again|see (?:in|on)|next (?:visit|appointment|review|anc|clinic|check)|reassess|tca|repeat|"
    r"ros|removal of sutures|suture removal|sutures? out|stitches out|appointment|"
    r"remove (?:the )?(?:sutures|stitches)|(?:sutures|stitches) (?:to be |will be )?removed|"
    r"(?:go|come|report|attend)(?: back)? to (?:the )?(?:clinic|hc|health (?:centre|center|facility|post)|"
    r"hospital|opd|dispensary)|collect (?:the )?(?:\w+ )?results?|collect (?:the )?VL)\b[^\n.;]{0,80}",
    re.IGNORECASE)
# (The lead-in stops at a sentence end: "... NKDA. 2天后复诊" starts at "2天后".)
_FU_ZH = re.compile(r"(?:(?![.!?]\s)[^\n。；;，,]){0,20}(?:复诊|随访|复查|复测|复检|随诊|回访|再来|返诊|拆线)[^\n。；;]{0,20}")
# What is to be rechecked, written before the verb ("BP recheck in 2 weeks", "Hb and ferritin
# repeat in 1 month", "sugar review next visit"): up to four words of the same clause, kept
# with the instruction so the follow-up line says what is checked (issue 13).
_LEAD_IN = re.compile(r"(?:^|(?<=[\n.;:,(]))\s*((?:[A-Za-z0-9&+/\-]+ ){1,4})$")
_WHEN_RE = re.compile(
    r"\b(?:in|after|within)\s+(\d+|one|two|three|four|five|six|seven|ten|a|an)\s*(hours?|hrs?|h|days?|weeks?|months?|/7|/52)\b|"
    r"\b(\d+)\s*/\s*(7|52|12)\b|\bday\s+(\d+)\b|"
    r"\b((?:next\s+|on\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b|"
    r"\b(?:next|on|this)\s+(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?|"
    r"\b(?:tmrw|tmr|tmw|2moro|2mrw)\b|"
    r"\b(?:in|by|next|early|mid|late|end of)[- ](?:jan(?:uary)?|feb(?:ruary)?|march|apr(?:il)?|may|june?|july?|"
    r"aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b|"
    r"\d{1,2}月(?:份|初|中|底|中旬|下旬|上旬)|明日|明天|后天|下周|下个?月|"
    r"每(?:个)?月|每周|每\d+\s*(?:周|个?月)|\b(\d+)\s*(hours?|hrs?|days?|weeks?|wks?|months?)\b|\b(tomorrow|next week|next month)\b|(\d+)\s*(天|日|周|个?月)后?|([一二两三四五六七八九十]+)\s*(天|日|周|个?月)后?",
    re.IGNORECASE)
# Words of a sentence's own that are not what is checked ("told to review ...", "plan: review").
_REPORTED = re.compile(r"\b(?:told|advised|asked|to|will|please|plan|then|pt|patient|she|he|they|we|for|"
                       r"all|the|a|an|if|no|not|or|nkda|given|stat|daily|od|bd|tds|qds|prn|days?|weeks?|x\d*)\b|\d",
                       re.IGNORECASE)
_IF_WORSE = re.compile(r"\b(?:if|sooner if|earlier if|or if|unless)\b|如有|如|若|必要时|不适", re.I)


@dataclass(slots=True)
class FollowUp:
    text: str           # the instruction as written (trimmed)
    when: str = ""      # "2 weeks", "3天", a date as written; "" if only conditional
    conditional: bool = False
    span: Span | None = None


def extract_followups(text: str, *, doc: int = 0, base: int = 0) -> list[FollowUp]:
    out: list[FollowUp] = []
    for rx in (_FU_EN, _FU_ZH):
        for m in rx.finditer(text):
            phrase = m.group(0).strip(" ,，:：")
            if rx is _FU_ZH:
                phrase = phrase.rstrip(". ")
            if any(f.span and f.span.start <= base + m.start() < f.span.end for f in out):
                continue
            when = ""
            if (d := DATE_RE.search(phrase)):
                when = d.group(0)
            elif (w := _WHEN_RE.search(phrase)):
                when = w.group(0).strip()
            conditional = not when and bool(_IF_WORSE.search(phrase))
            if not when and not conditional:
                continue  # "review of systems", "复诊，症状好转": not an instruction
            if any(f.text == phrase for f in out):
                continue
            start = base + m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" ,，:：")))
            if rx is _FU_EN and (lead := _LEAD_IN.search(text[max(0, m.start() - 40):m.start()])) \
                    and not _REPORTED.search(lead.group(1)):
                phrase = lead.group(1) + phrase
                start -= len(lead.group(1))
            out.append(FollowUp(text=phrase, when=when, conditional=conditional,
                                span=Span(start, start + len(phrase), doc=doc)))
    out.sort(key=lambda f: f.span.start if f.span else 0)
    return out
