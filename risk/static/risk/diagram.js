// Draws the supply-chain flowcharts (<pre class="mermaid">) with the vendored Mermaid.
// The flowchart text is generated and escaped on the server; "strict" keeps Mermaid
// from running scripts or links found in labels.
(function () {
  if (typeof mermaid === "undefined") { return; }
  mermaid.initialize({ startOnLoad: false, securityLevel: "strict", theme: "neutral" });
  mermaid.run({ querySelector: "pre.mermaid" });
})();
