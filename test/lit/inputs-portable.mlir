// The captured inputs carry source locations relative to the repository (or to
// Triton's package, e.g. "triton/language/standard.py"), never the absolute
// path of the machine they were captured on, so that every test that prints a
// location reads the same everywhere.
// RUN: not grep -n 'loc("/' %inputs/*.ttgir
// RUN: not grep -n -e '/work/' -e '/tmp/' -e 'site-packages' %inputs/*.ttgir
