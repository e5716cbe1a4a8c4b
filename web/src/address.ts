// Where each page lives. A page that shows a document lives at that
// document's path under its space (`/s/SPACE/` and the path the schema
// gives), so links and routing derive addresses from the schema rather than
// spell them out.
import { DOCS, branchDoc, recommendationDoc, versionDoc } from './schema'

/** The pages with no document of their own: the space's people, and how the adopted recommendations' implementation goes. */
const PEOPLE = 'people'
const IMPLEMENTATION = 'implementation'

/** Each page's path under its space, from the ids it takes. */
const pagePaths = {
  dashboard: () => '',
  recommendation: (id: string) => recommendationDoc(id),
  branch: (proposal: string) => branchDoc(proposal),
  version: (version: string, recommendation: string) => versionDoc(version, recommendation),
  inbox: () => DOCS.proposals,
  versionList: () => DOCS.versions,
  meetings: () => DOCS.meetings,
  people: () => PEOPLE,
  implementation: () => IMPLEMENTATION
}

export type PageName = keyof typeof pagePaths

/** The address of a page of `space`. */
export function address<P extends PageName> (space: string, page: P, ...ids: Parameters<typeof pagePaths[P]>): string {
  const make = pagePaths[page] as (...ids: string[]) => string
  const path = make(...ids.map(encodeURIComponent))
  return `/s/${encodeURIComponent(space)}${path === '' ? '' : `/${path}`}`
}

/** A page and the ids its address holds. */
export interface Located { space: string, page: PageName, ids: string[] }

/** Marks where an id goes when a page's path is laid out as a pattern. */
const SLOT = '\u0000'

/**
 * Reads an address (`/s/SPACE/…`): which page, with which ids. Each page's
 * path is laid out with a slot for each id and compared segment by
 * segment, so the page paths above are the only routing table.
 */
export function locate (pathname: string): Located | undefined {
  const [first, space, ...rest] = pathname.split('/').filter(part => part !== '').map(decodeURIComponent)
  if (first !== 's' || space === undefined) return undefined
  for (const [page, make] of Object.entries(pagePaths) as Array<[PageName, (...ids: string[]) => string]>) {
    const pattern = make(...Array.from({ length: make.length }, (_, i) => `${SLOT}${i}`)).split('/').filter(part => part !== '')
    if (pattern.length !== rest.length) continue
    const ids: string[] = []
    const fits = pattern.every((part, i) => {
      if (!part.startsWith(SLOT)) return part === rest[i]
      ids[Number(part.slice(SLOT.length))] = rest[i]
      return true
    })
    if (fits) return { space, page, ids }
  }
  return undefined
}
