"""Published messages and their replies in the site's search, on every backend: a document
source (opengov_cms.search.indexing) whose rows are the messages that may leave the site by
the one rule (opengov_cms.core.visibility.leaving_messages).

A message's document holds what its public page shows: the subject, the text and the reply
with ID and mobile numbers hidden, the unit that replied and the date of the reply; never the
sender's name or contact details.
"""

from opengov_cms.core.pages import share_site_root_paths
from opengov_cms.core.visibility import leaving_messages
from opengov_cms.interaction.models import Message
from opengov_cms.interaction.notifications import document_id
from opengov_cms.interaction.pages import message_url
from opengov_cms.search.indexing import CHUNK_SIZE, DocumentSource

KIND = "message"
LABEL = "opengov_interaction.message"


def message_document(message, box_url):
    return {
        "id": document_id(message.pk),
        "title": message.shown_subject,
        "summary": message.shown_summary,
        "body": f"{message.shown_body}\n{message.shown_reply}",
        "organisation": message.organisation.name,
        "organisation_id": message.organisation_id,
        "year": message.replied_on.year,
        "content_type": LABEL,
        "url": message_url(box_url, message.pk),
        "date": message.replied_on.isoformat(),
    }


def documents_of(messages):
    """The documents of published messages, their boxes' addresses worked out once each."""
    messages = list(messages)
    boxes = share_site_root_paths(list({m.box_id: m.box for m in messages}.values()))
    urls = {box.pk: box.get_url() for box in boxes}
    return {
        message.pk: message_document(message, urls.get(message.box_id))
        for message in messages
        if urls.get(message.box_id)
    }


class MessageSource(DocumentSource):
    kind = KIND
    label = LABEL

    def published(self):
        return leaving_messages(Message.objects.all()).select_related("organisation", "box")

    def documents(self, keys):
        return documents_of(self.published().filter(pk__in=keys))

    def leaving(self, keys):
        return set(
            leaving_messages(Message.objects.filter(pk__in=keys)).values_list("pk", flat=True)
        )

    def chunks(self, chunk_size=CHUNK_SIZE):
        last = 0
        while True:
            chunk = list(self.published().filter(pk__gt=last).order_by("pk")[:chunk_size])
            if not chunk:
                return
            last = chunk[-1].pk
            yield len(chunk), list(documents_of(chunk).values())

    def count(self):
        return leaving_messages(Message.objects.all()).count()
