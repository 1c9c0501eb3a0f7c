/* Care mode (关怀版): the switch's cookie becomes a class on <html> before the page is drawn,
   so one cached page serves every reader. Without JavaScript a <noscript> stylesheet does it. */
if (/(?:^|;\s*)opengov_care=1(?:;|$)/.test(document.cookie)) {
  document.documentElement.className += " opengov-care";
}
