// Says, on every page, that the server cannot be reached, for as long as it
// cannot, or that it stopped serving a live document for good, and why: a
// page that has stopped hearing from the server looks no different
// otherwise.
import { Show, type JSX } from 'solid-js'
import { refusal, unreachable } from '../reach'

export function ServerNotice (): JSX.Element {
  return (
    <>
      <Show when={unreachable()}>
        <p class='server-notice' role='alert'>
          The server cannot be reached, so this page may be out of date. It reconnects by itself when the server is back.
        </p>
      </Show>
      <Show when={refusal()}>
        {reason => (
          <p class='server-notice' role='alert' data-refused>
            The server stopped sending this page live changes: {reason()}. Reload the page to follow it again.
          </p>
        )}
      </Show>
    </>
  )
}
