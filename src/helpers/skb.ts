/**
 * @fileoverview The skb helper families in one table, keyed by kernel helper id. The integrator
 * merges it with the map, output and control-flow families into the program's HelperTable.
 * Every helper here expects `HelperCall.run` to be an SkbRunState (src/skb/run-state.ts).
 */
import { type HelperFamily } from './family.js';
import { skbBytesHelpers } from './skb-bytes.js';
import { skbCsumHelpers } from './skb-csum.js';
import { skbLayoutHelpers } from './skb-layout.js';
import { skbMetaHelpers } from './skb-meta.js';
import { skbRedirectHelpers } from './skb-redirect.js';
import { skbRouteHelpers } from './skb-route.js';
import { skbTunnelHelpers } from './skb-tunnel.js';
import { skbVlanHelpers } from './skb-vlan.js';
import { skLookupHelpers } from './sk-lookup.js';
import { skMapHelpers } from './sk-maps.js';

export const skbHelpers: HelperFamily = {
  ...skbBytesHelpers,
  ...skbCsumHelpers,
  ...skbRedirectHelpers,
  ...skbVlanHelpers,
  ...skbLayoutHelpers,
  ...skbMetaHelpers,
  ...skbTunnelHelpers,
  ...skbRouteHelpers,
  ...skLookupHelpers,
  ...skMapHelpers,
};
