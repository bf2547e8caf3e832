import pytest


@pytest.fixture
def work(organisation, members):
    """A piece of work led by the staff member, with the partner in its group."""
    from withpeople.works.services import work_create, work_member_add

    work = work_create(
        organisation=organisation,
        title="Carers' strategy",
        level="strategic",
        leads=[members["staff"]],
    )
    work_member_add(work=work, name="Pat", perspective="carer", membership=members["partner"])
    return work
