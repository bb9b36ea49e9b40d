"""Tap targets on a phone: every link, button and field a finger presses is at least 44 px."""

from __future__ import annotations

MIN_TARGET = 44  # px, WCAG 2.5.5 and the platforms' guidelines

# Every link, button and field outside author-written running text; a radio or checkbox is
# measured with its label, which is what a finger presses.
SMALL_TARGETS = """() => {
  const inText = '.lesson, .intro, .question-text, .feedback > div, .explanation, .choice-feedback';
  const small = [];
  for (const el of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea')) {
    if (el.closest(inText)) continue;
    let target = el;
    if (el.matches('input[type=radio], input[type=checkbox]')) {
      target = document.querySelector(`label[for="${el.id}"]`) || el;
    }
    const box = target.getBoundingClientRect();
    if (box.width === 0 || box.right <= 0) continue;  // hidden, or the parked skip link
    if (box.width < 44 || box.height < 44) {
      const name = (el.textContent || el.name || el.type || '').trim().slice(0, 40);
      small.push(`${el.tagName} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
    }
  }
  return small;
}"""


def small_targets(page) -> list[str]:
    """The tap targets under 44 px once the page and its stylesheet have loaded (a click only
    waits for the navigation to start)."""
    page.wait_for_load_state("load")
    return page.evaluate(SMALL_TARGETS)
