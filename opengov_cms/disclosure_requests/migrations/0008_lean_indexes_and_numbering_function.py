"""A request takes its tracking number in the INSERT that writes it (PostgreSQL: the
function below), and loses the indexes no query uses: the second index PostgreSQL makes for
LIKE queries on each unique or indexed text column (tracking number, form token, state,
outcome)."""

import opengov_cms.disclosure_requests.models
from django.db import migrations, models

# The scope's counter is taken as TrackingSequence.next_value takes it: an UPDATE that locks
# the row until the transaction ends, and the row made on the scope's first use (a
# concurrent first use waits for the other's row, then counts on).
NEXT_NUMBER = """
CREATE OR REPLACE FUNCTION opengov_requests_next_number(
    p_scope varchar, p_prefix text, p_width integer, p_suffix text
) RETURNS varchar LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    taken bigint;
BEGIN
    UPDATE opengov_requests_trackingsequence SET last_value = last_value + 1
        WHERE scope = p_scope RETURNING last_value INTO taken;
    IF NOT FOUND THEN
        INSERT INTO opengov_requests_trackingsequence AS s (scope, last_value)
            VALUES (p_scope, 1)
            ON CONFLICT (scope) DO UPDATE SET last_value = s.last_value + 1
            RETURNING s.last_value INTO taken;
    END IF;
    RETURN p_prefix || lpad(taken::text, greatest(p_width, length(taken::text)), '0')
        || p_suffix;
END
$$;
"""


def create_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NEXT_NUMBER)


def drop_function(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS opengov_requests_next_number(varchar, text, integer, text)"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("opengov_requests", "0007_memberships_to_core"),
    ]

    operations = [
        migrations.RunPython(create_function, drop_function),
        migrations.AlterField(
            model_name="disclosurerequest",
            name="form_token",
            field=models.CharField(blank=True, editable=False, max_length=100, null=True),
        ),
        migrations.AlterField(
            model_name="disclosurerequest",
            name="outcome",
            field=models.CharField(
                blank=True,
                choices=[
                    ("disclosed", "予以公开"),
                    ("partial", "部分公开"),
                    ("withheld.state_secret", "不予公开：属于国家秘密"),
                    ("withheld.prohibited_by_law", "不予公开：其他法律行政法规禁止公开"),
                    ("withheld.security_stability", "不予公开：危及“三安全一稳定”"),
                    ("withheld.third_party_rights", "不予公开：保护第三方合法权益"),
                    ("withheld.internal_affairs", "不予公开：属于三类内部事务信息"),
                    ("withheld.process_information", "不予公开：属于四类过程性信息"),
                    ("withheld.enforcement_file", "不予公开：属于行政执法案卷"),
                    ("withheld.administrative_query", "不予公开：属于行政查询事项"),
                    ("unavailable.not_held", "无法提供：本机关不掌握相关政府信息"),
                    ("unavailable.needs_creation", "无法提供：没有现成信息需要另行制作"),
                    ("unavailable.still_unclear", "无法提供：补正后申请内容仍不明确"),
                    ("not_processed.petition", "不予处理：信访举报投诉类申请"),
                    ("not_processed.repeated", "不予处理：重复申请"),
                    ("not_processed.publication", "不予处理：要求提供公开出版物"),
                    ("not_processed.excessive", "不予处理：无正当理由大量反复申请"),
                    (
                        "not_processed.confirmation",
                        "不予处理：要求行政机关确认或重新出具已获取信息",
                    ),
                    ("other.no_correction", "其他处理：申请人无正当理由逾期不补正"),
                    ("other.fee_unpaid", "其他处理：申请人逾期未按收费通知要求缴纳费用"),
                    ("other.other", "其他处理：其他"),
                ],
                max_length=40,
                verbose_name="办理结果",
            ),
        ),
        migrations.AlterField(
            model_name="disclosurerequest",
            name="state",
            field=models.CharField(
                choices=[
                    ("received", "已收到"),
                    ("accepted", "办理中"),
                    ("correction_requested", "待补正"),
                    ("consulting_third_party", "征求第三方意见"),
                    ("consulting_agency", "征求其他机关意见"),
                    ("awaiting_fee", "待缴费"),
                    ("replied", "已答复"),
                    ("closed", "已终止"),
                    ("withdrawn", "已撤回"),
                    ("archived", "已归档"),
                ],
                default="received",
                max_length=30,
                verbose_name="办理状态",
            ),
        ),
        migrations.AlterField(
            model_name="disclosurerequest",
            name="tracking_number",
            field=opengov_cms.disclosure_requests.models.TrackingNumberField(
                editable=False, max_length=80, verbose_name="申请编号"
            ),
        ),
        migrations.AddIndex(
            model_name="disclosurerequest",
            index=models.Index(fields=["state"], name="opengov_req_state"),
        ),
        migrations.AddIndex(
            model_name="disclosurerequest",
            index=models.Index(fields=["outcome"], name="opengov_req_outcome"),
        ),
        migrations.AddConstraint(
            model_name="disclosurerequest",
            constraint=models.UniqueConstraint(
                fields=("tracking_number",), name="opengov_req_tracking_number"
            ),
        ),
        migrations.AddConstraint(
            model_name="disclosurerequest",
            constraint=models.UniqueConstraint(
                fields=("form_token",), name="opengov_req_form_token"
            ),
        ),
    ]
