// Marks the page lays over a text in its editor: passages (a bracket, a
// comment's words, a suggested deletion) and words shown that the text does
// not hold (a suggested insertion).
import { Decoration, WidgetType, type DecorationSet } from '@codemirror/view'

/**
 * A passage the page marks: its class names, and attributes (a title,
 * data-…); with `widget`, words shown at its end that the text does not
 * hold (a suggested insertion).
 */
export interface Mark { from: number, to: number, class: string, attributes?: Record<string, string>, widget?: string }

/** Words shown in the text that it does not hold. */
class Shown extends WidgetType {
  constructor (readonly text: string, readonly className: string, readonly attributes: Record<string, string>) { super() }
  eq (other: Shown): boolean {
    return other.text === this.text && other.className === this.className && JSON.stringify(other.attributes) === JSON.stringify(this.attributes)
  }

  toDOM (): HTMLElement {
    const span = document.createElement('span')
    span.className = this.className
    for (const [name, value] of Object.entries(this.attributes)) span.setAttribute(name, value)
    span.textContent = this.text
    return span
  }
}

/** The marks as decorations of a text `length` long (marks past its end are left out). */
export function decorations (marks: Mark[], length: number): DecorationSet {
  return Decoration.set(marks
    .filter(mark => mark.from <= mark.to && mark.to <= length)
    .flatMap(mark => [
      ...mark.from < mark.to ? [Decoration.mark({ class: mark.class, attributes: mark.attributes }).range(mark.from, mark.to)] : [],
      ...mark.widget !== undefined ? [Decoration.widget({ widget: new Shown(mark.widget, `${mark.class} inserted`, mark.attributes ?? {}), side: -1 }).range(mark.to)] : []
    ]), true)
}

