"""The one clinical language layer: every feature reads notes through it.

Tokens and context cues (negation, uncertainty, hypotheticals), sentences and
sections, language, durations, vitals and results written in text, the findings
lexicon with typo matching, medications with dose, frequency and route, allergies
and follow-up instructions. Triage, the differential, summaries and referral
letters consume its typed results (each with its span in the note); none of them
reads clinical text on its own.
"""
