"""The site speaks for one body: the organisation named in mkdocs.yml is its author, copyright holder and
the author of every PDF, so a reader never meets a different body in the footer, the page metadata or a
download. Which body that is comes from mkdocs.yml (`extra.organisation`), never from this file."""

from __future__ import annotations

from pdf_structure import document_info


def test_author_copyright_and_organisation_are_one_of_the_named_bodies(config):
    organisation = config["extra"]["organisation"]
    assert organisation in config["extra"]["names"].values(), "write the organisation as *key of extra.names"
    assert config["site_author"] == organisation
    assert config["copyright"] == organisation


def test_every_page_names_the_organisation_in_its_footer_and_metadata(pages, config):
    organisation = config["extra"]["organisation"]
    for path, soup in pages.items():
        author = soup.find("meta", attrs={"name": "author"})
        assert author is not None and author["content"] == organisation, path
        footer = soup.select_one(".md-copyright")
        assert footer is not None and organisation in " ".join(footer.get_text(" ").split()), path


def test_every_pdf_names_the_organisation_as_its_author(site, config):
    organisation = config["extra"]["organisation"]
    pdfs = sorted((site / "downloads").glob("*.pdf"))
    assert pdfs, "the build made no PDFs"
    for pdf in pdfs:
        assert document_info(pdf).get("/Author") == organisation, pdf.name
