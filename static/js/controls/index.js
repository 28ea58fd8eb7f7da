// Every control of the page, one module per group: the transport and keyboard (transport.js), the Data, Network
// and Training panels, the view toggles; messages at the controls (messages.js); and what goes to the live session
// (commands.js). Menus, ranges and limits come from the catalog; a choice that implies other keys leaves them to
// the server (intent.js).

import { Commands } from "./commands.js";
import { DataPanel } from "./data_panel.js";
import { Messages } from "./messages.js";
import { NetworkPanel } from "./network_panel.js";
import { TrainingPanel } from "./training_panel.js";
import { Transport } from "./transport.js";
import { initViewToggles } from "./view_toggles.js";

/** @typedef {import("../state.js").Store} Store */
/** @typedef {import("../socket.js").Session} Session */
/** @typedef {import("../catalog.js").Catalog} Catalog */

/**
 * Build the controls on the page's markup.
 * @param {{store: Store, session: Session, catalog: Catalog}} deps
 * @returns {{commands: Commands, messages: Messages}}
 */
export function initControls({ store, session, catalog }) {
  const messages = new Messages(store);
  const commands = new Commands({ store, session, catalog, messages });
  const data = new DataPanel({ store, catalog, commands });
  new NetworkPanel({ store, catalog, commands });
  new TrainingPanel({ store, catalog, commands });
  initViewToggles(store);
  new Transport({ store, session, catalog, commands, classes: data.classes });
  return { commands, messages };
}
