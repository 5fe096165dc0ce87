// Runs the github-script scripts of the workflows against a mocked GitHub
// API (scripts/workflows_js_test.go):
//   node workflows-harness.js find FIND.js        apply.yml's search for the reviewed plan
//   node workflows-harness.js comment COMMENT.js  plan.yml's comment, cut to GitHub's limit
// Exit status 1 when an assertion fails.
const fs = require('fs'), path = require('path'), os = require('os'), cp = require('child_process');
const script = fs.readFileSync(process.argv[3], 'utf8');
const assert = (c, msg) => { if (!c) { console.error('ASSERTION FAILED: ' + msg); process.exitCode = 1; } };
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;

function zipOf(files) { // name -> content
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'z'));
  for (const [n, c] of Object.entries(files)) fs.writeFileSync(path.join(dir, n), c);
  cp.execSync(`cd ${dir} && zip -q a.zip ${Object.keys(files).join(' ')}`);
  const b = fs.readFileSync(path.join(dir, 'a.zip'));
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

async function scenario(name, { eventName = 'push', prs = [], files = [], runs = [], artifacts = {}, zips = {} }) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'w'));
  process.chdir(work);
  const out = {}; let failed = null;
  const core = { setOutput: (k, v) => { out[k] = v; }, setFailed: m => { failed = m; } };
  const calls = [];
  const rest = {
    repos: { listPullRequestsAssociatedWithCommit: async p => ({ data: prs }) },
    pulls: { listFiles: p => files.map(f => ({ filename: f })) },
    actions: {
      listWorkflowRuns: p => { calls.push(['runs', p]); return runs.filter(r => r.head_sha === p.head_sha && r.event === p.event); },
      listWorkflowRunArtifacts: p => artifacts[p.run_id] || [],
      downloadArtifact: async p => ({ data: zips[p.artifact_id] }),
    },
  };
  const github = { rest, paginate: async (fn, p) => (await fn(p)).data ?? (await fn(p)) };
  const context = { eventName, sha: 'm'.repeat(40), repo: { owner: 'o', repo: 'r' } };
  const exec = { exec: async (cmd, args) => cp.execFileSync(cmd, args) };
  process.env.PLAN_WORKFLOW_FILES = '.github/workflows/plan.yml action.yml';
  await new AsyncFunction('github', 'context', 'core', 'exec', 'require', script)(github, context, core, exec, require);
  const got = fs.existsSync('plans') ? fs.readdirSync('plans').sort() : [];
  console.log(`${name}: outputs=${JSON.stringify(out)} failed=${failed ? JSON.stringify(failed.slice(0, 140)) : 'no'} plans=${got.join(',')}`);
  return { out, failed, got, calls };
}

async function find() {
  const head = 'h'.repeat(40), m = 'm'.repeat(40);
  const pr = { number: 7, merged_at: '2026-01-01', merge_commit_sha: m, head: { sha: head } };
  const run = (id, t, extra = {}) => ({ id, status: 'completed', event: 'pull_request', head_sha: head, created_at: t, html_url: `https://x/runs/${id}`, head_branch: 'feature', ...extra });
  const art = (id, i, n, t, extra = {}) => ({ id, name: `agentform-plan-${head}-${i}-of-${n}`, created_at: t, expired: false, ...extra });
  const zips = { 11: zipOf({ 'plan-1.json': '{"s":1}', 'plan-1.exit': '2' }), 12: zipOf({ 'plan-2.json': '{"s":2}', 'plan-2.exit': '0' }), 13: zipOf({ 'plan-2.json': '{"s":"2new"}', 'plan-2.exit': '2' }) };

  let r = await scenario('ok', { prs: [pr], runs: [run(1, '2026-01-01T00:00:00Z'), run(2, '2026-01-02T00:00:00Z')], artifacts: { 2: [art(11, 1, 2, '2026-01-02T00:00:01Z'), art(13, 2, 2, '2026-01-02T00:09:00Z'), art(12, 2, 2, '2026-01-02T00:00:02Z'), { id: 99, name: 'agentform-bin' }] }, zips });
  assert(!r.failed && r.out.shards === '2' && r.out.sha === head && r.out.pr === '7' && r.out['run-url'].endsWith('/2'), 'ok outputs');
  assert(r.got.join() === 'plan-1.exit,plan-1.json,plan-2.exit,plan-2.json', 'ok files');
  assert(fs.readFileSync('plans/plan-2.json', 'utf8') === '{"s":"2new"}', 'newest re-run artifact wins');

  r = await scenario('cancelled newest run', { prs: [pr], runs: [run(1, '2026-01-01T00:00:00Z'), run(3, '2026-01-03T00:00:00Z', { conclusion: 'cancelled' })], artifacts: { 1: [art(11, 1, 1, '2026-01-02T00:00:01Z')], 3: [] }, zips });
  assert(!r.failed && r.out['run-url'].endsWith('/1'), 'a cancelled run is skipped');

  r = await scenario('no pr', { prs: [] });
  assert(r.failed && r.failed.includes('without a merged pull request') && !r.out.sha, 'no pr');

  r = await scenario('open pr only', { prs: [{ ...pr, merged_at: null }] });
  assert(r.failed && r.failed.includes('without a merged pull request'), 'unmerged pr');

  r = await scenario('pr changed plan.yml', { prs: [pr], files: ['manifests/a.yaml', '.github/workflows/plan.yml'] });
  assert(r.failed && r.failed.includes('#7 changed .github/workflows/plan.yml'), 'guarded files');

  r = await scenario('no run', { prs: [pr], runs: [run(1, 't', { status: 'in_progress' })] });
  assert(r.failed && r.failed.includes('No finished run'), 'no finished run');

  r = await scenario('missing shard', { prs: [pr], runs: [run(2, 't')], artifacts: { 2: [art(11, 1, 3, 't1'), art(12, 3, 3, 't1')] }, zips });
  assert(r.failed && r.failed.includes('no plan for shard 2/3') && r.got.length === 0, 'missing shard');

  r = await scenario('no artifacts', { prs: [pr], runs: [run(2, 't')], artifacts: { 2: [] } });
  assert(r.failed && r.failed.includes('saved no plan'), 'no artifacts');

  r = await scenario('expired', { prs: [pr], runs: [run(2, 't')], artifacts: { 2: [art(11, 1, 1, 't1', { expired: true })] }, zips });
  assert(r.failed && r.failed.includes('expired'), 'expired');

  r = await scenario('dispatch on main', { eventName: 'workflow_dispatch', runs: [
      { id: 5, status: 'completed', event: 'workflow_dispatch', head_sha: m, created_at: 't', html_url: 'https://x/runs/5', head_branch: 'other' },
      { id: 6, status: 'completed', event: 'workflow_dispatch', head_sha: m, created_at: 't', html_url: 'https://x/runs/6', head_branch: 'main' }],
    artifacts: { 6: [{ id: 11, name: `agentform-plan-${m}-1-of-1`, created_at: 't', expired: false }] }, zips });
  assert(!r.failed && r.out['run-url'].endsWith('/6') && r.out.sha === m && !r.out.pr && r.calls[0][1].event === 'workflow_dispatch', 'dispatch');
}

// comment: a plan far over GitHub's limit is cut before a location's
// <details> block, under 65,536 characters, with a pointer to the summary.
async function comment() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'c'));
  process.chdir(work);
  fs.mkdirSync('report');
  fs.writeFileSync('report/head.md', '### agentform plan for `abc`\n\n:x: Shard 2/4 failed\n');
  const block = i => `<details><summary><code>L${i}</code></summary>\n\n\`\`\`\`diff\n${'~ x\n'.repeat(40)}\`\`\`\`\n\n</details>\n\n`;
  fs.writeFileSync('report/plan.md', '### agentform plan\n\n' + Array.from({ length: 1000 }, (_, i) => block(i)).join(''));
  const posted = [];
  const github = { paginate: async (fn, p) => fn(p), rest: { issues: {
    listComments: () => [{ id: 5, body: 'unrelated' }, { id: 6, body: '<!-- agentform-plan -->\nold' }],
    updateComment: async p => posted.push(p), createComment: async p => posted.push({ ...p, created: true }),
  } } };
  process.env.RUN_URL = 'https://x/runs/1';
  const context = { repo: { owner: 'o', repo: 'r' }, issue: { number: 7 } };
  await new AsyncFunction('github', 'context', 'core', 'exec', 'require', script)(github, context, {}, {}, require);
  assert(posted.length === 1 && posted[0].comment_id === 6 && !posted[0].created, 'the comment is updated in place');
  const body = posted[0].body;
  assert(body.length <= 65536, `comment of ${body.length} characters`);
  assert(body.length > 60000, `comment cut too short: ${body.length}`);
  assert(body.startsWith('<!-- agentform-plan -->\n### agentform plan for `abc`'), 'marker and head first');
  assert(/<\/details>\n\n… the rest does not fit in a comment: see the \[job summary\]\(https:\/\/x\/runs\/1\)\.\n$/.test(body), 'cut after a whole <details> block, with the note');
  console.log(`comment: ${body.length} characters`);
}

({ find, comment })[process.argv[2]]().catch(e => { console.error(e); process.exitCode = 1; });
