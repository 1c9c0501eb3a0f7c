"""Factories for the public's messages; ``create`` registers them through the workflow as
the form does."""

from datetime import date

import factory

from opengov_cms.interaction import workflow
from opengov_cms.interaction.choices import Category
from opengov_cms.interaction.models import Message
from tests.factories import OrganisationFactory

# A resident ID number with a valid check character (GB 11643 example) and a mobile number:
# written into a message's text, they must never show in public.
RESIDENT_ID = "11010519491231002X"
MOBILE = "13912345678"


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    organisation = factory.SubFactory(OrganisationFactory)
    category = Category.CONSULTATION
    subject = "关于皋陶文化园开放时间的咨询"
    body = f"请问皋陶文化园周末是否开放？我的手机号{MOBILE}，身份证号{RESIDENT_ID}。"
    name = "王小明"
    phone = "13800001111"
    email = "wangxm@example.com"
    publish_consent = True
    received_on = date(2026, 3, 2)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        message = model_class(*args, **kwargs)
        message.query_code = workflow.receive(message)
        return message


def reply_to(
    message, drafter, reviewer, on, *, text="您好，皋陶文化园周末正常开放。", publish=True
):
    """Draft, submit and approve a reply the way staff do; returns the message as saved."""
    workflow.perform(message, "submit_reply", user=drafter, on=on, reply=text)
    return workflow.perform(message, "approve_reply", user=reviewer, on=on, publish=publish)
