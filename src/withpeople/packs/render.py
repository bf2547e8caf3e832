"""The evidence pack as a web page and as an accessible, tagged PDF.

Both are made from the same `Pack` and the same template of its contents, so they always say
the same thing. The PDF is made by WeasyPrint in its PDF/UA-1 variant: tagged (headings, lists,
tables with their header cells, the ladder pictures as figures with their text alternative), its
language set and its title shown, for screen readers and for inspectors who archive it.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language

from withpeople.packs.pack import Pack

PDF_VARIANT = "pdf/ua-1"


def document_language() -> str:
    """The language of the document, as a tag: British English unless another is active."""
    language = get_language() or "en-gb"
    if language.lower() in ("en", "en-gb"):
        return "en-GB"
    return language


def pack_pdf(pack: Pack) -> bytes:
    """The pack as a tagged PDF (PDF/UA-1), in the language of the request."""
    html = render_to_string("packs/document.html", {"pack": pack, "lang": document_language()})
    return html_pdf(html)


def html_pdf(html: str) -> bytes:
    """Lay out one HTML document as a tagged PDF (PDF/UA-1)."""
    # WeasyPrint is imported only here: it loads Pango, which pages that do not make a PDF
    # have no need of.
    from weasyprint import HTML

    return HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)


def pdf_file_name(pack: Pack) -> str:
    made = f"{pack.made_at:%Y%m%d-%H%M}"
    if pack.is_organisation:
        return f"evidence-pack-{pack.organisation.slug}-{pack.start}-{pack.end}-{made}.pdf"
    return f"evidence-pack-work-{pack.works[0].work.pk}-{made}.pdf"


def pdf_response(pack: Pack) -> HttpResponse:
    response = HttpResponse(pack_pdf(pack), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_file_name(pack)}"'
    return response


def pack_html_page(request: HttpRequest, pack: Pack, **context) -> str:
    return render_to_string("packs/pack_page.html", {"pack": pack, **context}, request=request)
