"""The care section of the child record (registered with casework.sections)."""

from care.selectors import care_section
from casework.sections import ChildRecordSection, register

register(
    ChildRecordSection(
        "care/_child_record_section.html", lambda request, child: care_section(child)
    )
)
