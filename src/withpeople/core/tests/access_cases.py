from withpeople.testing.access import PUBLIC, Case

CASES = {
    "core:home": Case(
        {"anonymous": 200, "outsider": 302, "partner": 302, "staff": 302, "admin": 302}
    ),
    "core:ladder": Case(PUBLIC),
    "core:accessibility": Case(PUBLIC),
    "core:privacy": Case(PUBLIC),
    "core:api-docs": Case(PUBLIC),
    "core:health": Case(PUBLIC),
}
