// Word documents read back with python-docx, a library of the Word
// ecosystem (the test command installs Debian's python3-docx).
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { tempDir } from './harness.mjs'

// Debian's own Python, which python3-docx installs into, whatever else
// the PATH puts first.
const PYTHON = process.env.DRAFTROOM_PYTHON || '/usr/bin/python3'

const READ = `
import json, sys
import docx
document = docx.Document(sys.argv[1])
section = document.sections[0]
print(json.dumps({
    "paragraphs": [{"style": p.style.name, "text": p.text, "runs": [{"style": r.style.name if r.style is not None else None, "text": r.text} for r in p.runs]} for p in document.paragraphs],
    "header": [p.text for p in section.header.paragraphs],
    "page": [section.page_width.mm, section.page_height.mm],
    "title": document.core_properties.title,
}))
`

/** A Word document's paragraphs (style and text), page header and size, as python-docx reads them. */
export function readDocx (t, bytes) {
  const file = join(tempDir(t), 'report.docx')
  writeFileSync(file, bytes)
  return JSON.parse(execFileSync(PYTHON, ['-c', READ, file]).toString())
}

/** The text of a Word document as LibreOffice converts it to PDF (the test command installs it), page by page. */
export function convertedByLibreOffice (t, bytes) {
  const dir = tempDir(t)
  const file = join(dir, 'report.docx')
  writeFileSync(file, bytes)
  // A profile of its own, so that nothing else running LibreOffice holds it.
  execFileSync('soffice', ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, file], { stdio: 'pipe', timeout: 120000 })
  return execFileSync('pdftotext', ['-layout', join(dir, 'report.pdf'), '-']).toString().split('\f').filter(page => page.trim() !== '')
}

/** The main part of a Word document (`word/document.xml`), as its XML. */
export function docxXml (t, bytes) {
  const file = join(tempDir(t), 'document.docx')
  writeFileSync(file, bytes)
  const read = "import sys, zipfile; sys.stdout.write(zipfile.ZipFile(sys.argv[1]).read('word/document.xml').decode())"
  return execFileSync(PYTHON, ['-c', read, file]).toString()
}
