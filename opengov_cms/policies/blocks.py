"""The blocks of an interpretation: text, charts and image galleries, audio and video with a
transcript, and interview questions and answers."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock


class FigureBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("说明"), required=False, max_length=200)
    alt = blocks.CharBlock(
        label=_("替代文字"), max_length=300, help_text=_("供读屏软件朗读，描述图片内容。")
    )

    class Meta:
        icon = "image"


class GalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("标题"), required=False)
    figures = blocks.ListBlock(FigureBlock(), label=_("图片"))

    class Meta:
        icon = "image"
        label = _("图解 / 图片组")
        template = "opengov_policies/blocks/gallery.html"


class MediaBlock(blocks.StructBlock):
    """Audio or video, always with a transcript (文字实录) for those who cannot play it."""

    title = blocks.CharBlock(label=_("标题"))
    file = DocumentChooserBlock(label=_("音频或视频文件"))
    transcript = blocks.RichTextBlock(label=_("文字实录"))

    class Meta:
        icon = "media"
        label = _("音频 / 视频")
        template = "opengov_policies/blocks/media.html"


class QuestionAnswerBlock(blocks.StructBlock):
    question = blocks.TextBlock(label=_("问"))
    answer = blocks.RichTextBlock(label=_("答"))
    speaker = blocks.CharBlock(label=_("答问人"), required=False)


class InterviewBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("访谈主题"), required=False)
    guests = blocks.CharBlock(label=_("访谈嘉宾"), required=False)
    items = blocks.ListBlock(QuestionAnswerBlock(), label=_("问答"))

    class Meta:
        icon = "openquote"
        label = _("访谈问答")
        template = "opengov_policies/blocks/interview.html"


class InterpretationBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("文字"))
    gallery = GalleryBlock()
    media = MediaBlock()
    interview = InterviewBlock()
