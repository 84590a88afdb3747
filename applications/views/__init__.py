"""The applicant's pages, one module per step: ``drafting`` (start, sections, check, copy),
``parts`` (partners, budget, attachments), ``submission`` (submit, receipts, withdraw, list,
timeline). Each module holds its own ``urlpatterns``; ``applications/urls.py`` joins them."""
