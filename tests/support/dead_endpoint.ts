/**
 * An endpoint nothing listens on, for connection-refused tests. (Port 9, the
 * classic "discard" port, is on the fetch standard's blocked list, so fetch
 * would refuse it before connecting and test another path.)
 *
 * @module
 */
import { createServer } from "node:net";

/** An `http://127.0.0.1:PORT` URL whose port was free a moment ago and is closed now. */
export function deadEndpoint(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(`http://127.0.0.1:${port}`));
    });
  });
}
