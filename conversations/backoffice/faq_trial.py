"""The FAQ admin's "try a question": which FAQ the engine itself would answer, and how sure it is."""

from dataclasses import dataclass

from conversations.engine.faq_index import get_faq_index
from conversations.models import Assistant
from nlu.faq import CONFIDENCE_THRESHOLD, FaqMatch


@dataclass(frozen=True)
class FaqTrial:
    question: str
    matches: list[FaqMatch]  # best first
    threshold: float = CONFIDENCE_THRESHOLD

    @property
    def best(self) -> FaqMatch | None:
        return self.matches[0] if self.matches else None

    @property
    def answered(self) -> bool:
        """Whether the bot would answer with the best FAQ (else it says it doesn't know and offers a person)."""
        return self.best is not None and self.best.score >= self.threshold


def faq_try(assistant: Assistant, question: str, *, limit: int = 3) -> FaqTrial:
    """Rank the assistant's active FAQs for the question with the same index the dialogue uses."""
    question = " ".join(question.split())
    return FaqTrial(question=question, matches=get_faq_index(assistant).ranked(question, limit=limit))
