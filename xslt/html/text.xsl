<?xml version="1.0" encoding="UTF-8"?>
<!-- TEI text → HTML: the element-family modules and the fallback, all in mode m:text.
     Modules are included (one import precedence), so template priorities alone decide. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  exclude-result-prefixes="#all">
  <xsl:import href="../lib/common.xsl"/>
  <xsl:import href="../lib/lines.xsl"/>
  <xsl:import href="../lib/apparatus.xsl"/>
  <xsl:include href="text/fallback.xsl"/>
  <xsl:include href="text/lang.xsl"/>
  <xsl:include href="text/ids.xsl"/>
  <xsl:include href="text/structure.xsl"/>
  <xsl:include href="text/transcription.xsl"/>
  <xsl:include href="text/names.xsl"/>
  <xsl:include href="text/notes.xsl"/>
  <xsl:include href="text/sourcedoc.xsl"/>
  <xsl:include href="text/verse.xsl"/>
  <xsl:include href="text/msg-parts.xsl"/>
</xsl:stylesheet>
