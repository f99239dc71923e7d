from django.db import migrations


def build(apps, schema_editor):
    # Same rows as casework.calendar.calendar_rebuild, written with the historical model.
    from casework.calendar import non_working_days, working_day_rows

    WorkingDay = apps.get_model("casework", "WorkingDay")
    ClosureDay = apps.get_model("casework", "ClosureDay")
    non_working = non_working_days(ClosureDay.objects.values_list("date", "reason"))
    WorkingDay.objects.all().delete()
    WorkingDay.objects.bulk_create(working_day_rows(WorkingDay, non_working), batch_size=5000)


class Migration(migrations.Migration):
    dependencies = [("casework", "0002_initial")]
    operations = [migrations.RunPython(build, migrations.RunPython.noop)]
