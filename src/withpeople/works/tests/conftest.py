import pytest


@pytest.fixture
def work(organisation, members):
    """A piece of work led by the staff member, as it is when they start it."""
    from withpeople.works.services import work_create

    return work_create(
        organisation=organisation,
        title="Carers' strategy",
        level="strategic",
        leads=[members["staff"]],
    )
