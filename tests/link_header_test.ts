/** Pagination of the Hub's listings: the `Link` header's `rel="next"`. */
import { describe } from "node:test";
import { it } from "./support/test_timeout.ts";
import assert from "node:assert/strict";
import { nextPageUrl } from "../src/hub/link_header.ts";

const BASE = "http://127.0.0.1:9/api/models/o/n/tree/main?recursive=true";

describe("nextPageUrl", () => {
  it("answers the next page's URL, resolved against the page asked for", () => {
    const link = '<http://127.0.0.1:9/api/models/o/n/tree/main?cursor=abc>; rel="next"';
    assert.equal(
      nextPageUrl(link, BASE)?.href,
      "http://127.0.0.1:9/api/models/o/n/tree/main?cursor=abc",
    );
    assert.equal(
      nextPageUrl('</api/models?cursor=2>; rel="next"', BASE)?.href,
      "http://127.0.0.1:9/api/models?cursor=2",
    );
  });

  it("picks rel=next among several links, quoted or not, in any case", () => {
    const link =
      '<https://h/prev>; rel="prev", <https://h/next?a=1,2>; REL=next, <https://h/last>; rel="last"';
    assert.equal(nextPageUrl(link, BASE)?.href, "https://h/next?a=1,2");
  });

  it("answers undefined without a header or without a next link", () => {
    assert.equal(nextPageUrl(null, BASE), undefined);
    assert.equal(nextPageUrl("", BASE), undefined);
    assert.equal(nextPageUrl('<https://h/prev>; rel="prev"', BASE), undefined);
    assert.equal(nextPageUrl('<https://h/x>; rel="nextish"', BASE), undefined);
  });
});
