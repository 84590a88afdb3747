"""The pages of review and decision: the officer's case page (``case``), the reviewer's pages
(``reviewer``) and the applicant's decision and offer (``result``)."""
