"""A city-wide annual report (汇总下级机构) beside the organisation's own of the same year."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_reports", "0002_enter_all_annualfigures"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="annualreportpage",
            name="opengov_reports_annualreportpage_one_per_year",
        ),
        migrations.AddField(
            model_name="annualreportpage",
            name="covers_organisations_below",
            field=models.BooleanField(
                default=False,
                help_text="全市（全区）年度报告：各统计表为本机构和其所有下级机构的合计。不勾选则为本机构自己的年度报告。",
                verbose_name="汇总下级机构",
            ),
        ),
        migrations.AddConstraint(
            model_name="annualreportpage",
            constraint=models.UniqueConstraint(
                fields=("organisation", "report_year", "covers_organisations_below"),
                name="opengov_reports_annualreportpage_one_per_year",
                violation_error_message="这个机构这一年度的年度报告已经存在，每个机构每年只有一份年度报告。",
            ),
        ),
    ]
