"""StreamField blocks for lessons, made for customer-service training."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class PhraseCardBlock(blocks.StructBlock):
    """A situation, what to say in it, and what never to say."""

    situation = blocks.CharBlock(label=_("Situation"), max_length=200)
    say = blocks.ListBlock(blocks.CharBlock(max_length=300), label=_("Say this"), min_num=1)
    never_say = blocks.ListBlock(
        blocks.CharBlock(max_length=300), label=_("Never say this"), required=False
    )
    why = blocks.TextBlock(label=_("Why"), required=False)
    in_practice = blocks.BooleanBlock(
        label=_("In daily practice"),
        required=False,
        default=True,
        help_text=_("Untick to keep this block out of the learners' practice cards."),
    )

    class Meta:
        icon = "openquote"
        label = _("Phrase card")
        template = "courses/blocks/phrase_card.html"


class DoDontRowBlock(blocks.StructBlock):
    do = blocks.CharBlock(label=_("Do"), max_length=300)
    dont = blocks.CharBlock(label=_("Don't"), max_length=300, required=False)


class DoDontTableBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    rows = blocks.ListBlock(DoDontRowBlock(), label=_("Rows"), min_num=1)
    in_practice = blocks.BooleanBlock(
        label=_("In daily practice"),
        required=False,
        default=True,
        help_text=_("Untick to keep this block out of the learners' practice cards."),
    )

    class Meta:
        icon = "tasks"
        label = _("Do and don't")
        template = "courses/blocks/do_dont.html"


class ProcedureStepBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Step"))
    time_limit = blocks.CharBlock(
        label=_("Time limit"),
        required=False,
        max_length=60,
        help_text=_("e.g. “immediately”, “within 30 minutes”"),
    )


class ProcedureBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    steps = blocks.ListBlock(ProcedureStepBlock(), label=_("Steps"), min_num=1)
    in_practice = blocks.BooleanBlock(
        label=_("In daily practice"),
        required=False,
        default=True,
        help_text=_("Untick to keep this block out of the learners' practice cards."),
    )

    class Meta:
        icon = "list-ol"
        label = _("Numbered procedure")
        template = "courses/blocks/procedure.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        choices=[
            ("tip", _("Tip")),
            ("rule", _("Rule")),
            ("warning", _("Warning")),
            ("info", _("Good to know")),
        ],
        default="tip",
        label=_("Kind"),
    )
    title = blocks.CharBlock(label=_("Title"), required=False, max_length=120)
    text = blocks.RichTextBlock(label=_("Text"), features=["bold", "italic", "ol", "ul", "link"])

    class Meta:
        icon = "warning"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/figure.html"


class VideoBlock(blocks.StructBlock):
    """A training video: an uploaded file (mp4 / webm) or a direct link to one.

    Staff often watch on company Wi-Fi behind a firewall, so we play plain video files with
    the browser's own player rather than embedding third-party players.
    """

    file = DocumentChooserBlock(label=_("Video file"), required=False)
    url = blocks.URLBlock(label=_("Video URL"), required=False)
    poster = ImageChooserBlock(label=_("Poster image"), required=False)
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video.html"

    def clean(self, value):
        from django.core.exceptions import ValidationError

        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("url")):
            raise blocks.StructBlockValidationError(
                block_errors={"url": ValidationError(_("Give either a video file or a URL."))}
            )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        context["src"] = value["file"].url if value.get("file") else value.get("url")
        return context


class LessonBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"),
        max_length=120,
        form_classname="title",
        template="courses/blocks/heading.html",
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"),
        features=["bold", "italic", "ol", "ul", "link"],
        template="courses/blocks/paragraph.html",
    )
    phrase_card = PhraseCardBlock()
    do_dont = DoDontTableBlock()
    procedure = ProcedureBlock()
    callout = CalloutBlock()
    image = FigureBlock()
    video = VideoBlock()
