from servicecenter.core.problems import MESSAGES, Problem


def test_problem_describes_file_row_column_in_both_languages():
    problem = Problem("orgnr.checksum", source="kunder.csv", row=4, column="organisationsnummer", value="202100-6256")
    assert problem.describe("sv") == "kunder.csv, rad 4, kolumn organisationsnummer: Organisationsnumrets kontrollsiffra stämmer inte. (värde: '202100-6256')"
    assert problem.describe("en").startswith("kunder.csv, row 4, column organisationsnummer: The organisation number's check digit is wrong.")


def test_every_message_has_both_languages_with_the_same_parameters():
    import string

    for code, (swedish, english) in MESSAGES.items():
        names = lambda text: {field for _, field, _, _ in string.Formatter().parse(text) if field}  # noqa: E731
        assert swedish and english, code
        assert names(swedish) == names(english), code
