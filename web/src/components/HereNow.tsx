// Who is on this page now: the names the page's live document's awareness
// holds, kept up to date as people come and go.
import { createSignal, onCleanup, Show, type Accessor, type JSX } from 'solid-js'
import { PAGE, type Live } from '../live'
import { sameList } from '../ysignals'

/** The names of everyone on this page, each once, in order: a person may have it open twice. */
function namesHere ({ provider }: Live): Accessor<string[]> {
  const { awareness } = provider
  const read = (): string[] => {
    const names = new Set<string>()
    for (const state of awareness.getStates().values()) {
      // The same document may be open on other pages too (the dashboard
      // follows the versions, say): only this page's people are here.
      if (state[PAGE] === location.pathname && typeof state.user?.name === 'string') names.add(state.user.name)
    }
    return [...names].sort((a, b) => a.localeCompare(b))
  }
  const [names, setNames] = createSignal(read(), { equals: sameList })
  const changed = (): void => { setNames(read()) }
  awareness.on('change', changed)
  onCleanup(() => awareness.off('change', changed))
  return names
}

export function HereNow (props: { live: Live }): JSX.Element {
  const names = namesHere(props.live)
  return (
    <Show when={names().length > 0}>
      <p class='here-now'>Here now: {names().join(', ')}</p>
    </Show>
  )
}
