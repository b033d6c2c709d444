-- Drives Neovim 0.7's built-in LSP client against `node dist/cli.js lsp --stdio` for one file
-- and writes what it saw as JSON; test/nvim/run.mjs does the asserting.
-- 0.7 has no vim.lsp.start (0.8+): start_client + buf_attach_client instead.
--
-- Environment (set by run.mjs):
--   PCC_NVIM_SERVER   JSON array: the server command, e.g. ["node","/repo/dist/cli.js","lsp","--stdio"]
--   PCC_NVIM_FILE     absolute path of the Python file to open
--   PCC_NVIM_ROOT     workspace root
--   PCC_NVIM_CODE     the rule whose finding is hovered and fixed
--   PCC_NVIM_FIX      title of the quick fix to apply ('' to skip)
--   PCC_NVIM_RESULT   where to write the JSON result
--   PCC_NVIM_TIMEOUT  per-wait deadline in ms

local env = vim.env
local timeout = tonumber(env.PCC_NVIM_TIMEOUT) or 10000
local result = { steps = {} }

local function step(name)
  table.insert(result.steps, name)
end

local function write_result()
  local f = assert(io.open(env.PCC_NVIM_RESULT, 'w'))
  f:write(vim.json.encode(result))
  f:close()
end

local function buffer_text(bufnr)
  return table.concat(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false), '\n') .. '\n'
end

local function hover_text(contents)
  if type(contents) == 'string' then
    return contents
  end
  if contents.value then
    return contents.value
  end
  local parts = {}
  for _, c in ipairs(contents) do
    table.insert(parts, type(c) == 'string' and c or c.value)
  end
  return table.concat(parts, '\n---\n')
end

local function main()
  local raw = {} -- last publishDiagnostics params for our file, as the server sent them (UTF-16)
  local file_uri = vim.uri_from_fname(env.PCC_NVIM_FILE)
  local client_id = vim.lsp.start_client({
    name = 'concurrency-coach',
    cmd = vim.json.decode(env.PCC_NVIM_SERVER),
    root_dir = env.PCC_NVIM_ROOT,
    workspace_folders = { { uri = vim.uri_from_fname(env.PCC_NVIM_ROOT), name = 'workspace' } },
    handlers = {
      ['textDocument/publishDiagnostics'] = function(err, params, ctx, config)
        if params and params.uri == file_uri then
          raw = params
        end
        return vim.lsp.diagnostic.on_publish_diagnostics(err, params, ctx, config)
      end,
    },
    on_exit = function(code, signal)
      result.exit = { code = code, signal = signal }
    end,
  })
  assert(client_id, 'start_client returned nil')
  step('started')

  vim.cmd('edit ' .. vim.fn.fnameescape(env.PCC_NVIM_FILE))
  local bufnr = vim.api.nvim_get_current_buf()
  vim.bo[bufnr].filetype = 'python' -- -u NONE: no filetype detection; languageId comes from this
  assert(vim.lsp.buf_attach_client(bufnr, client_id), 'buf_attach_client failed')
  assert(
    vim.wait(timeout, function()
      local c = vim.lsp.get_client_by_id(client_id)
      return result.exit ~= nil or (c ~= nil and c.initialized)
    end, 20),
    'server did not initialize'
  )
  assert(result.exit == nil, 'server exited during start-up: ' .. vim.inspect(result.exit))
  step('initialized')

  -- Wait for the first publishDiagnostics for this document.
  assert(vim.wait(timeout, function() return raw.diagnostics ~= nil end, 20), 'no publishDiagnostics within deadline')
  result.lsp_diagnostics = raw.diagnostics
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, {
      lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
      code = d.code, source = d.source, message = d.message, severity = d.severity,
    })
  end
  step('diagnostics')
  local first
  for _, d in ipairs(raw.diagnostics) do
    if first == nil and tostring(d.code) == env.PCC_NVIM_CODE then
      first = d
    end
  end
  assert(first, 'no ' .. tostring(env.PCC_NVIM_CODE) .. ' diagnostic')

  -- Hover two characters into the first finding.
  local uri = vim.uri_from_bufnr(bufnr)
  local pos = { line = first.range.start.line, character = first.range.start.character + 2 }
  local hovers = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', { textDocument = { uri = uri }, position = pos }, timeout)
  for _, r in pairs(hovers or {}) do
    if r.result and r.result.contents then
      result.hover = hover_text(r.result.contents)
    end
    if r.err then
      result.hover_error = r.err.message
    end
  end
  step('hover')

  if (env.PCC_NVIM_FIX or '') == '' then
    return
  end
  local params = {
    textDocument = { uri = uri },
    range = first.range,
    context = { diagnostics = { first }, only = { 'quickfix' } },
  }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', params, timeout)
  local chosen
  result.action_titles = {}
  for _, r in pairs(responses or {}) do
    for _, action in ipairs(r.result or {}) do
      table.insert(result.action_titles, action.title)
      if action.title == env.PCC_NVIM_FIX then
        chosen = action
      end
    end
  end
  assert(chosen, 'no code action titled ' .. env.PCC_NVIM_FIX)
  if not chosen.edit and not chosen.command then
    local resolved = vim.lsp.buf_request_sync(bufnr, 'codeAction/resolve', chosen, timeout)
    for _, r in pairs(resolved or {}) do
      if r.result then
        chosen = r.result
      end
    end
  end
  if chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, 'utf-16')
  end
  if chosen.command then
    local cmd = type(chosen.command) == 'table' and chosen.command or chosen
    vim.lsp.buf_request_sync(bufnr, 'workspace/executeCommand', { command = cmd.command, arguments = cmd.arguments }, timeout)
  end
  result.text_after_fix = buffer_text(bufnr)
  step('fixed')

  -- The server hears about the edit (didChange) and withdraws the finding.
  local code = first.code
  local gone = vim.wait(timeout, function()
    for _, d in ipairs(raw.diagnostics or {}) do
      if d.code == code then
        return false
      end
    end
    return true
  end, 20)
  result.diagnostics_after_fix = raw.diagnostics
  result.cleared_after_fix = gone
  step('cleared')
end

local ok, err = pcall(main)
if not ok then
  result.error = tostring(err)
end
for _, client in ipairs(vim.lsp.get_active_clients()) do
  client.stop()
end
vim.wait(2000, function() return #vim.lsp.get_active_clients() == 0 end, 20)
write_result()
vim.cmd(ok and 'qa!' or 'cq!')
