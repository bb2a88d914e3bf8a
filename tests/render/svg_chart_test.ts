import assert from "node:assert/strict";
import { barChart, stackedBar, timeSegments } from "../../lib/render/svg_chart.ts";

function widths(svg: string): number[] {
  return [...svg.matchAll(/<rect x="[\d.]+" y="0" width="([\d.]+)" height="18" fill="#/g)].map((m) =>
    Number(m[1])
  );
}

Deno.test("stackedBar() splits the width by share and labels each part", async (t) => {
  const durations = { totalMs: 10_000, modelMs: 6_000, execMs: 3_000, orchestrationMs: 1_000 };
  const svg = stackedBar(timeSegments(durations), "Time", 500).value;
  await t.step("widths are proportional", () => assert.deepEqual(widths(svg), [300, 150, 50]));
  await t.step("the legend names each part with its time and share", () => {
    assert.match(svg, />model 6.00 s \(60%\)</);
    assert.match(svg, />programs 3.00 s \(30%\)</);
    assert.match(svg, />orchestration 1.00 s \(10%\)</);
  });
  await t.step("text uses currentColor so it reads on dark backgrounds", () => {
    assert.match(svg, /fill="currentColor"/);
  });
  await t.step("it is inline SVG with a title", () => {
    assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" role="img"/);
    assert.match(svg, /<title>Time<\/title>/);
  });
});

Deno.test("stackedBar() draws nothing wrong when every part is zero", () => {
  const svg = stackedBar(timeSegments({ totalMs: 0, modelMs: 0, execMs: 0, orchestrationMs: 0 }), "t").value;
  assert.deepEqual(widths(svg), [0, 0, 0]);
  assert.doesNotMatch(svg, /NaN/);
});

Deno.test("barChart() scales bars to the maximum and escapes labels", () => {
  const svg = barChart(
    [
      { label: "<b>a</b>", value: 2, color: "#111" },
      { label: "b", value: 1, color: "#222", note: "half" },
    ],
    "Bars",
    { width: 370, labelWidth: 100 },
  ).value;
  const bars = [...svg.matchAll(/<rect x="100" y="\d+" width="([\d.]+)"/g)].map((m) => Number(m[1]));
  assert.deepEqual(bars, [200, 100]);
  assert.match(svg, />&lt;b&gt;a&lt;\/b&gt;</);
  assert.match(svg, />half</);
});
