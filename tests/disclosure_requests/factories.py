"""Factories for requests; ``create`` registers them through the workflow like the form."""

from datetime import date

import factory

from opengov_cms.disclosure_requests import workflow
from opengov_cms.disclosure_requests.choices import (
    ApplicantType,
    Channel,
    DeliveryMethod,
    IdDocumentType,
    ProvisionForm,
)
from opengov_cms.disclosure_requests.models import DisclosureRequest
from tests.factories import OrganisationFactory

# A resident ID number with a valid check digit (GB 11643 example).
RESIDENT_ID = "11010519491231002X"


class DisclosureRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DisclosureRequest

    organisation = factory.SubFactory(OrganisationFactory)
    channel = Channel.ONLINE
    received_on = date(2024, 9, 27)
    applicant_type = ApplicantType.NATURAL_PERSON
    applicant_name = "张三丰"
    id_document_type = IdDocumentType.RESIDENT_ID
    id_number = RESIDENT_ID
    phone = "13812345678"
    email = "zhangsan@example.com"
    address = "安徽省六安市金安区梅山南路1号"
    postcode = "237000"
    description = "2023年本局行政事业性收费项目清单"
    provision_form = ProvisionForm.ELECTRONIC
    delivery_method = DeliveryMethod.EMAIL

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        state = kwargs.pop("state", None)
        request = model_class(*args, **kwargs)
        request.query_code = workflow.receive(request)
        if state is not None:
            DisclosureRequest.objects.filter(pk=request.pk).update(state=state)
            request.state = state
        return request
