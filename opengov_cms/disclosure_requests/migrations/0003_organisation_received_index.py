import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_requests", "0002_proactive_entry"),
    ]

    operations = [
        # The composite index below leads with organisation, so the FK's own index goes.
        migrations.AlterField(
            model_name="disclosurerequest",
            name="organisation",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="disclosure_requests",
                to="opengov_core.organisation",
                verbose_name="受理机关",
            ),
        ),
        migrations.AddIndex(
            model_name="disclosurerequest",
            index=models.Index(
                fields=["organisation", "received_on"], name="opengov_req_org_received"
            ),
        ),
    ]
