// Package scripts holds no code: its tests check the repository's shell
// scripts and GitHub workflows.
//
//   - gitops-handoff.sh runs the plan→apply hand-off of the workflows against
//     a local sandbox (TestGitopsHandoff runs it; -short skips it), and its
//     command strings are the workflows' own (TestHandoffRunsTheWorkflowCommands).
//   - install.sh, which action.yml runs, downloads and verifies the archives
//     .goreleaser.yaml names (TestInstall*, TestReleaseNamesMatchInstall).
//   - The example config repository's workflows run the same steps as this
//     repository's (TestExampleWorkflowsMatch), and plan.yml writes its shard
//     count once (TestShardCountWrittenOnce).
//   - The workflows' github-script code that finds the reviewed plan and
//     writes the plan comment runs against a mocked GitHub API
//     (TestWorkflowScripts, testdata/workflows-harness.js; needs node).
package scripts
