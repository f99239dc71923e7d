from decimal import Decimal

from django.db import migrations

SOURCE = "domain.md section 4 (DfE Characteristics of children in need 2025; workforce 2025)"
NATIONAL = [
    ("rereferrals_12m", "England 2024-25", "22.6"),
    ("assessments_45wd_dfe", "England 2024-25", "85.7"),
    ("icpc_15wd", "England 2024-25", "81.4"),
    ("cp_repeat_plans", "England 2024-25", "24.5"),
    ("cp_ended_2y_plus", "England 2024-25", "4.4"),
    ("cp_open_2y_plus", "England at 31 March 2025", "2.3"),
    ("caseload_dfe", "England at 30 September 2025", "15.2"),
]


def seed(apps, schema_editor):
    KpiComparator = apps.get_model("metrics", "KpiComparator")
    for kpi, label, value in NATIONAL:
        KpiComparator.objects.update_or_create(
            kpi=kpi, label=label, defaults={"value": Decimal(value), "source": SOURCE}
        )


def unseed(apps, schema_editor):
    KpiComparator = apps.get_model("metrics", "KpiComparator")
    for kpi, label, _ in NATIONAL:
        KpiComparator.objects.filter(kpi=kpi, label=label).delete()


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
