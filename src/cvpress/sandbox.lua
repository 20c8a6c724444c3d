-- cvpress's sandbox for LuaLaTeX: Lua code in a document gets what pdfLaTeX's paranoid settings give
-- TeX code, and no more. Run by `lualatex --lua=THIS FILE` (compile.engine_command), before the
-- format, luaotfload or the document: every function a later chunk can reach is the guarded one.
--
-- Reads: the build folder (the working directory), TeX's trees (kpathsea's TEXMF, TEXMFCNF,
-- OSFONTDIR), the system font folders, the font cache (TEXMFCACHE). Writes: the build folder and
-- the font cache. No programs, no environment changes, no C libraries, no bytecode from strings,
-- no debug access to upvalues. A refusal is logged as "cvpress sandbox: ..." and the call fails
-- the way it fails for a missing file; running a program is an error.
--
-- The originals are taken now, before LuaTeX's own io overloads (luatex-core, loaded after this
-- file): from TeX Live 2024 those check openin_any/openout_any, which in paranoid mode refuse
-- every absolute path, and luaotfload reads its data and writes its cache by absolute path. The
-- guards go in at start_run, after kpathsea starts and before anything else runs.

local type, error, tostring, pairs = type, error, tostring, pairs
local find, sub, gmatch, format = string.find, string.sub, string.gmatch, string.format
local concat = table.concat
local texio_write_nl = texio.write_nl

local raw = {
  open = io.open, input = io.input, output = io.output,
  remove = os.remove, rename = os.rename,
  loadfile = loadfile, load = load,
  register = callback.register,
}
local raw_lfs = {}
for name, fn in pairs(lfs) do raw_lfs[name] = fn end
local readline = fio and fio.readline
local record = fio and fio.recordfilename

local build = raw_lfs.currentdir()
local cache = os.getenv("TEXMFCACHE")
local cwd = build  -- Lua's idea of the working directory (lfs.chdir below); TeX's stays the build folder
local reads, writes = {}, {}

local function normal(path)
  -- The absolute form of `path`, ".." taken lexically; nil when a ".." would leave a symbolic link
  -- (the kernel would follow the link first) or for what is not a path.
  if type(path) ~= "string" or path == "" or find(path, "\0", 1, true) then
    return nil
  end
  if sub(path, 1, 1) ~= "/" then
    path = cwd .. "/" .. path
  end
  local parts = {}
  for part in gmatch(path, "[^/]+") do
    if part == ".." then
      if raw_lfs.symlinkattributes("/" .. concat(parts, "/"), "mode") == "link" then
        return nil
      end
      parts[#parts] = nil
    elseif part ~= "." then
      parts[#parts + 1] = part
    end
  end
  return "/" .. concat(parts, "/")
end

local function add(list, folder)
  folder = normal(folder and (folder:gsub("^!!", ""):gsub("/+$", "")))
  if folder and folder ~= "/" then
    list[#list + 1] = folder
  end
end

local function inside(list, path)
  for _, folder in pairs(list) do
    if path == folder or sub(path, 1, #folder + 1) == folder .. "/" then
      return true
    end
  end
  return false
end

local function refuse(what, path)
  texio_write_nl("log", format("cvpress sandbox: refused %s %s", what, tostring(path)))
  return nil, format("%s: refused by cvpress's sandbox (%s outside the build folder and TeX's files)",
                     tostring(path), what)
end

local function allowed(path, write)
  local full = normal(path)
  return full ~= nil and inside(write and writes or reads, full), full
end

local function guard(what, write, fn)
  -- fn(path, ...) with path checked, handed over absolute
  return function(path, ...)
    local ok, full = allowed(path, write)
    if not ok then
      return refuse(what, path)
    end
    return fn(full, ...)
  end
end

local function forbidden(name)
  -- Fails the way a missing program fails (luaotfload asks `tput` for the terminal's width).
  return function()
    texio_write_nl("log", "cvpress sandbox: refused " .. name)
    return nil, name .. ": refused by cvpress's sandbox (a document may not run programs or change "
                .. "the engine's environment)"
  end
end

local function writes_mode(mode)
  return type(mode) == "string" and find(mode, "[wa+]") ~= nil
end

local function open(path, mode)
  local write = writes_mode(mode)
  local ok, full = allowed(path, write)
  if not ok then
    return refuse(write and "writing" or "reading", path)
  end
  local file, message, code = raw.open(full, mode or "r")
  if file and record then
    record(full, write and "w" or "r")  -- -recorder's list (the build cache checks what was read)
  end
  return file, message, code
end

local function lines(path, ...)
  if path == nil then
    return io.stdin:lines(...)
  end
  local file, message = open(path, "r")
  if not file then
    error(message, 2)
  end
  if readline then  -- luatex-core's line reading (any line ending)
    return function() return readline(file) end
  end
  return file:lines(...)
end

local function stream(rawfn, write)
  return function(file)
    if type(file) == "string" then
      local handle, message = open(file, write and "w" or "r")
      if not handle then
        error(message, 2)
      end
      file = handle
    end
    return rawfn(file)
  end
end

local function chdir(path)
  -- Real only long enough to resolve symbolic links (luaotfload does this to scan font folders):
  -- TeX's working directory stays the build folder.
  local ok, full = allowed(path, false)
  if not ok then
    return refuse("entering", path)
  end
  if not raw_lfs.chdir(full) then
    return nil, full .. ": not a folder"
  end
  local resolved = raw_lfs.currentdir()
  raw_lfs.chdir(build)
  if not inside(reads, resolved) then
    return refuse("entering", resolved)
  end
  cwd = resolved
  return true
end

local file_callbacks = {
  find_read_file = false, find_data_file = false, find_font_file = false, find_vf_file = false,
  find_map_file = false, find_enc_file = false, find_pk_file = false, find_opentype_file = false,
  find_truetype_file = false, find_type1_file = false, find_image_file = false, find_format_file = false,
  find_write_file = true, find_output_file = true,
}

local function register(name, fn, ...)
  -- A callback that finds a file for TeX: whatever it answers is checked like a Lua open.
  local write = file_callbacks[name]
  if write ~= nil and type(fn) == "function" then
    local finder = fn
    fn = function(...)
      local found = finder(...)
      if type(found) == "string" and found ~= "" and not allowed(found, write) then
        refuse(write and "writing" or "reading", found)
        return nil
      end
      return found
    end
  end
  return raw.register(name, fn, ...)
end

local function searcher(name)
  -- require: Lua files that kpathsea finds (TeX's trees and the build folder), nothing else
  local file = kpse.find_file(name, "lua")
  if not file or not allowed(file, false) then
    return "\n\tno file '" .. tostring(name) .. "' (cvpress sandbox: kpathsea's Lua files only)"
  end
  local chunk, message = raw.loadfile(file)
  if not chunk then
    error(message, 2)
  end
  if record then record(file, "r") end
  return chunk, file
end

local function install()
  for var in gmatch(kpse.expand_braces("$TEXMF") .. ":" .. kpse.expand_braces("$TEXMFCNF") .. ":"
                    .. kpse.expand_braces("$OSFONTDIR"), "[^:;]+") do
    add(reads, var)
  end
  for _, folder in pairs({"/etc/fonts", "/usr/share/fonts", "/usr/local/share/fonts", "/usr/share/fontconfig",
                          "/System/Library/Fonts", "/Library/Fonts"}) do
    add(reads, folder)
  end
  add(reads, build)
  add(writes, build)
  if cache and cache ~= "" then
    add(reads, cache)
    add(writes, cache)
  end

  io.open, io.lines = open, lines
  io.input, io.output = stream(raw.input, false), stream(raw.output, true)
  io.popen, io.tmpfile = forbidden("io.popen"), forbidden("io.tmpfile")
  io.saved_open, io.saved_lines, io.saved_popen = nil, nil, nil
  for _, name in pairs({"execute", "exec", "spawn", "kpsepopen", "tmpdir", "tmpname"}) do
    if os[name] then os[name] = forbidden("os." .. name) end
  end
  local setenv, refused_setenv = os.setenv, forbidden("os.setenv")
  os.setenv = function(name, ...)  -- kpathsea reads its search paths from the environment
    if name == "engine" or (type(name) == "string" and find(name, "^MTX_")) then  -- lualibs' own
      return setenv(name, ...)
    end
    return refused_setenv(name)
  end
  os.remove = guard("removing", true, raw.remove)
  os.rename = function(from, to)
    local ok_from, full_from = allowed(from, true)
    local ok_to, full_to = allowed(to, true)
    if not (ok_from and ok_to) then
      return refuse("renaming", ok_from and to or from)
    end
    return raw.rename(full_from, full_to)
  end

  for _, name in pairs({"attributes", "symlinkattributes", "isdir", "isfile", "readlink", "shortname"}) do
    if raw_lfs[name] then lfs[name] = guard("reading", false, raw_lfs[name]) end
  end
  lfs.dir = function(path)
    local ok, full = allowed(path, false)
    if not ok then
      error(select(2, refuse("listing", path)), 2)
    end
    return raw_lfs.dir(full)
  end
  for _, name in pairs({"mkdir", "mkdirp", "rmdir", "touch", "lock_dir"}) do
    if raw_lfs[name] then lfs[name] = guard("writing", true, raw_lfs[name]) end
  end
  lfs.link = forbidden("lfs.link")
  lfs.chdir = chdir
  lfs.currentdir = function() return cwd end

  loadfile = function(path, ...)
    if path == nil then
      return raw.loadfile()
    end
    local ok, full = allowed(path, false)
    if not ok then
      return refuse("reading", path)
    end
    return raw.loadfile(full, ...)
  end
  dofile = function(path)
    local chunk, message = loadfile(path)
    if not chunk then
      error(message, 2)
    end
    return chunk()
  end
  -- Bytecode from a string only when string.dump made it here (lualibs strips its chunks so):
  -- crafted bytecode could break out of Lua.
  local dump, dumped = string.dump, {}
  string.dump = function(...)
    local code = dump(...)
    dumped[code] = true
    return code
  end
  load = function(chunk, name, mode, ...)
    return raw.load(chunk, name, (type(chunk) == "string" and dumped[chunk]) and (mode or "bt") or "t", ...)
  end
  loadstring = nil

  package.loadlib = nil
  package.cpath = ""
  package.searchers = {package.searchers[1], searcher}
  package.loaders = package.searchers

  for _, name in pairs({"getupvalue", "setupvalue", "upvalueid", "upvaluejoin", "getlocal", "setlocal",
                        "sethook", "gethook", "getregistry", "getuservalue", "setuservalue", "setmetatable"}) do
    debug[name] = nil
  end
  if pdfe then pdfe.open = guard("reading", false, pdfe.open) end
  if fontloader then
    fontloader.open = guard("reading", false, fontloader.open)
    fontloader.info = guard("reading", false, fontloader.info)
  end
  if mplib then mplib.new = forbidden("mplib.new") end
  if img then  -- an image from anywhere would be embedded in the PDF
    for name, fn in pairs(img) do
      img[name] = function(spec, ...)
        if type(spec) == "table" and spec.filename ~= nil and not allowed(spec.filename, false) then
          error(select(2, refuse("reading", spec.filename)), 2)
        end
        return fn(spec, ...)
      end
    end
  end
  local uname = os.uname
  if uname then
    os.uname = function()  -- the platform, not the machine's name
      local info = uname()
      info.nodename = nil
      return info
    end
  end
  callback.register = register
end

raw.register("start_run", function()
  install()
  texio.write(status.banner or "This is LuaTeX")
end)
