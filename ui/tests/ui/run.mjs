// The UI suites, each test on its own real backend (see harness.mjs). UI_TEST=regex runs some.
import { a11ySuite } from "./a11y.mjs";
import { consoleSuite } from "./console.mjs";
import { deliveriesSuite, livenessSuite } from "./deliveries.mjs";
import { formsSuite } from "./forms.mjs";
import { finish, setup } from "./harness.mjs";
import { inspectorSuite } from "./inspector.mjs";
import { layoutSuite } from "./layout.mjs";
import { remoteSuite } from "./remote.mjs";
import { roundTripsSuite } from "./roundtrips.mjs";
import { summariesSuite } from "./summaries.mjs";

await setup();
await formsSuite();
await roundTripsSuite();
await consoleSuite();
await inspectorSuite();
await remoteSuite();
await deliveriesSuite();
await livenessSuite();
await summariesSuite();
await layoutSuite();
await a11ySuite();
await finish();
