"""Events of the projects app that higher apps act on (STYLE: imports go one way).

project_opened: sent (after commit) when a project is founded and, where its countries
require it, approved by their NSOs (R9a, R10). Receivers get `project`.
The twinspace app receives it and opens the project's TwinSpace.

project_member_added: sent when a teacher joins a project (founder or partner); receivers
get `project`, `member` (ProjectMember). The twinspace app adds the teacher to its TwinSpace.

project_closed: sent when founders close a project (R11); receivers get `project`.
"""

from django.dispatch import Signal

project_opened = Signal()
project_member_added = Signal()
project_closed = Signal()
