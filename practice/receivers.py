"""Keeps practice cards in step with what trainers publish, and a learner's wrong answers
in their deck."""

from academy.signals import evidence_recorded
from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from courses.models import LessonPage
from quizzes.models import Question


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def sync_lesson_cards(sender, instance, **kwargs):
    """A published block joins every deck holding the lesson at once; an unpublished
    lesson's cards retire."""
    from .services import cards_sync_lesson

    cards_sync_lesson(instance.pk)


@receiver(pre_delete, sender=LessonPage)
def retire_lesson_cards(sender, instance, **kwargs):
    from .models import Card

    Card.objects.filter(lesson_id=instance.pk).update(active=False)


@receiver(post_save, sender=Question)
def sync_question_card(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from .services import cards_sync_question

    cards_sync_question(instance.pk)


@receiver(m2m_changed, sender=Question.competencies.through)
def sync_question_competency(sender, instance, action, **kwargs):
    if action.startswith("post_") and isinstance(instance, Question):
        from .services import cards_sync_question

        cards_sync_question(instance.pk)


@receiver(evidence_recorded)
def add_wrong_answers(sender, user, **kwargs):
    from .services import cards_ensure_for_wrong_answers

    cards_ensure_for_wrong_answers(user)
