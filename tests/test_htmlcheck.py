from htmlcheck import html_errors


def test_a_well_formed_page_passes():
    assert html_errors("<!DOCTYPE html><html><body><p>ข่าว<br><img src=x alt=y></p></body></html>") == []


def test_unclosed_and_misnested_elements_are_found():
    assert html_errors("<!DOCTYPE html><html><body><div><p>x</div></body></html>")
    assert html_errors("<!DOCTYPE html><html><body><main>")
    assert html_errors("<html></html>") == ["no <!DOCTYPE html>"]
