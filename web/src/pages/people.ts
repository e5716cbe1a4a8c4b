// The chair's page for people: mint a sign-in link for someone, with the
// role they take in this space, and see which links were minted.
import { app, el, getJson, header, outcome, select, send, when, type Me } from '../ui'

interface Link { user: string, role: string, expires_at: number, path: string }
interface AuditEntry { entry: { at: string, actor: string, action: string, details: { user?: string, role?: string, expires_at?: number } } }

const ROLES: Array<[string, string]> = [
  ['member', 'member: co-edits, proposes'],
  ['observer', 'observer: watches, changes nothing'],
  ['vice-chair', 'vice-chair: merges proposals'],
  ['chair', 'chair: runs the space']
]

const expires = (seconds: number): string => new Date(seconds * 1000).toLocaleDateString(undefined, { dateStyle: 'medium' })

export async function people (me: Me): Promise<void> {
  const message = outcome()
  const minted = el('div', { class: 'minted' })
  const history = el('div', { class: 'scroll' })
  const renderHistory = async (): Promise<void> => {
    const audit = await getJson<{ entries: AuditEntry[] }>(`/api/spaces/${me.space}/audit`)
    const links = audit.entries.filter(e => e.entry.action === 'link.minted').reverse()
    history.replaceChildren(links.length === 0
      ? el('p', { class: 'who' }, 'No link has been minted here yet.')
      : el('table', {},
        el('thead', {}, el('tr', {}, ...['For', 'Role', 'Works until', 'Minted'].map(h => el('th', { scope: 'col' }, h)))),
        el('tbody', {}, ...links.map(({ entry }) => el('tr', {},
          el('td', {}, entry.details.user ?? '—'),
          el('td', {}, entry.details.role ?? '—'),
          el('td', {}, entry.details.expires_at !== undefined ? expires(entry.details.expires_at) : '—'),
          el('td', {}, `${when(entry.at)} by ${entry.actor}`))))))
  }
  const user = el('input', { name: 'user', placeholder: 'Their name', 'aria-label': 'Name', required: '', maxlength: '64' })
  const role = select('role', ROLES, 'Role')
  const days = el('input', { name: 'days', type: 'number', min: '1', max: '366', value: '30', 'aria-label': 'Days the link works' })
  const form = el('form', { class: 'column inline' }, el('h3', {}, 'Invite someone'), user, role, el('label', {}, days, ' days'), el('button', { type: 'submit' }, 'Make a sign-in link'))
  form.addEventListener('submit', event => {
    event.preventDefault()
    void message.run(async () => {
      const link = await send<Link>('POST', `/api/spaces/${me.space}/links`, { user: user.value, role: role.value, days: Number(days.value) })
      const url = `${location.origin}${link.path}`
      const field = el('input', { readonly: '', value: url, 'aria-label': `Sign-in link for ${link.user}`, class: 'link' })
      const copy = el('button', { type: 'button', 'data-action': 'copy' }, 'Copy')
      copy.addEventListener('click', () => {
        field.select()
        void navigator.clipboard?.writeText(url).then(() => { copy.textContent = 'Copied' }, () => { copy.textContent = 'Select and copy it' })
      })
      minted.prepend(el('div', { class: 'column', 'data-link': link.user },
        el('p', {}, `${link.user} signs in as ${link.role} with this link, until ${expires(link.expires_at)}. Anyone who has it can use it: send it privately.`),
        el('div', { class: 'controls' }, field, copy)))
      user.value = ''
      await renderHistory()
    })
  })
  app.replaceChildren(header(me, 'People', 'people'), message.node, form, minted, el('h2', {}, 'Links minted'), history)
  await renderHistory()
}
