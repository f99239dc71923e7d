from datetime import timedelta

from django.db import migrations


def build(apps, schema_editor):
    from casework.calendar import CALENDAR_START, Calendar, bank_holidays

    WorkingDay = apps.get_model("casework", "WorkingDay")
    ClosureDay = apps.get_model("casework", "ClosureDay")
    non_working = bank_holidays()
    for closure in ClosureDay.objects.all():
        non_working.setdefault(closure.date, closure.reason)
    calendar = Calendar.build(non_working)
    rows = []
    for i, ordinal in enumerate(calendar.cumulative):
        day = CALENDAR_START + timedelta(days=i)
        rows.append(
            WorkingDay(
                date=day,
                is_working_day=day.weekday() < 5 and day not in non_working,
                ordinal=ordinal,
                holiday=non_working.get(day, ""),
            )
        )
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(rows, batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_initial")]
    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
