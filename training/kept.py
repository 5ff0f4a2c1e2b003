"""The training figures of a whole company, kept a short while in the cache (`core.kept`).

Every page that shows how a company's people stand on their courses asks the database to
work out each person's state for each course: the company home's card, the training
dashboard and the matrix API's summary (`matrix.course_summaries`), and an officer's task
list, home and header count (the people nobody manages, `matrix.open_by_course`). At
5,000 people that is 50–120 ms of SQL a request, for figures that change only when
someone records training or edits a course or a person. They are kept per company and
day; any saved or deleted course, person, security role, training record or retraining
request of the company, and any change of a course's or a person's roles, forgets them.
"""

from __future__ import annotations

from core.kept import Keeper

keeper = Keeper("training")
kept = keeper.kept
forget = keeper.forget


def connect() -> None:
    """Forget a company's figures whenever what they are counted from changes."""
    from personnel.models import Employee, SecurityRole
    from training.models import Course, Retraining, TrainingRecord

    # Either side of a roles change may be the instance (course.roles.add or
    # role.courses.add); both belong to the company. Rows that go with a deleted course,
    # person or role are covered by that delete.
    keeper.watch(
        Course,
        Employee,
        TrainingRecord,
        Retraining,
        SecurityRole,
        Course.roles.through,
        Employee.roles.through,
    )
