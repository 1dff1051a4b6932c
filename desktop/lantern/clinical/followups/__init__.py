"""Follow-up proposals (issue 16): when a note says the patient should come back, and
what a programme's schedule says. Pure and deterministic: note text and dates in,
proposals out. Wording and schedules are data (``resources/followup/``)."""

from lantern.clinical.followups.proposal import Proposal, propose, propose_from_note
from lantern.clinical.followups.schedules import PROGRAMME_IDS, Programme, load_schedules

__all__ = ["PROGRAMME_IDS", "Programme", "Proposal", "load_schedules", "propose",
           "propose_from_note"]
