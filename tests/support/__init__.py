"""What the tests share, in one place; no test module imports another.

- ``cast``: the fixed cast of staff, one per role plus one with none, and how to make more of them.
- ``time``: the moments the tests happen at (an ordinary Tuesday in Oslo) and how to name others.
- ``factories``: records made directly (factory_boy and the ORM), at given moments.
- ``rooms``: clients brought onto the floor through the services: checked in, in a booth, in observation.
- ``races``: two stations acting at the same moment, each in its own thread and database connection.
- ``pages``: reading a page as a person does: its text, a marked element, a form, the navigation.
- ``figures``: the reports' marked figures, chart data and tables.
- ``queries``: what a page asks of the database on its own.
- ``admin``: a setting changed as an administrator does, through the admin's change form.
- ``urls``: every page of the site, found by walking the URL resolver, and its addresses with records.
- ``browser``: steps the Playwright tests share.
- ``axe``: axe-core's WCAG 2.1 A and AA rules run in a Playwright page (axe-core vendored, test-only, under
  ``vendor/axe-core``).
- ``scenes``: whole worked-out situations: a known March (``march``), two known years, 2017 and 2018, with
  their figures for each year, for December, January and the range across New Year (``known_year``:
  ``EXPECTED_2017``, ``EXPECTED_2018`` ... and ``expected_figures`` to read the same names off
  ``period_figures``), a client with a full history
  (``history``), a client to be forgotten (``anonymisation``), every kind of record that names a client
  (``records``), a busy floor at a given moment (``busy``).

The fixtures that hand these to the tests (``cast``, ``client_for``, ``at_noon``, ``history`` ...) live in
the conftest.py files, which only call in here.
"""
