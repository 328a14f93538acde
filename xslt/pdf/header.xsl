<?xml version="1.0" encoding="UTF-8"?>
<!--
  The parts of a document taken from its teiHeader (PDF output): title, summary, hands, the
  source line after the text and the entry for the list of sources.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:ty="urn:x-tei-edition:typst"
  exclude-result-prefixes="#all">

  <!-- The archival citation of a msDesc, as the edition writes it. -->
  <xsl:function name="ty:citation" as="xs:string">
    <xsl:param name="ms" as="element(tei:msDesc)"/>
    <xsl:variable name="id" select="$ms/tei:msIdentifier"/>
    <xsl:variable name="cite" select="normalize-space($id/tei:altIdentifier[@type = 'citation'][1]/tei:idno)"/>
    <xsl:sequence select="if ($cite != '') then $cite
                          else string-join(for $p in ($id/tei:repository, $id/tei:collection, $id/tei:idno,
                                                      $id/tei:msName)
                                           return normalize-space($p)[. != ''], ', ')"/>
  </xsl:function>

  <!-- Summary -->
  <xsl:template match="tei:abstract" mode="ty:summary">
    <xsl:param name="fn" as="xs:string"/>
    <xsl:value-of select="concat(ty:mark(.), '#', $fn, '[')"/>
    <xsl:for-each select="*">
      <xsl:if test="position() gt 1"><xsl:text>#parbreak()</xsl:text></xsl:if>
      <xsl:value-of select="ty:mark(.)"/>
      <xsl:apply-templates select="if (self::tei:p or self::tei:ab) then node() else ."/>
    </xsl:for-each>
    <xsl:if test="not(*)"><xsl:apply-templates/></xsl:if>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <!-- Hands: the key to the sigla of the margin and the signatures (ty:hand: the context's),
       each with the hand's label and description -->
  <xsl:template match="tei:handDesc" mode="ty:hands">
    <xsl:text>#ed-hands[</xsl:text>
    <xsl:for-each select="tei:handNote">
      <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
      <!-- the context lists the document's handNotes in document order -->
      <xsl:variable name="siglum" select="string(f:document(.)/hand[@n = count(current()/preceding::tei:handNote) + 1]/@siglum)"/>
      <xsl:value-of select="concat(ty:mark(.), '#ed-hand(', ty:lit($siglum), ', label: ', ty:lit(f:hand-note-label(.)), ')[')"/>
      <xsl:apply-templates select="if (tei:p) then tei:p/node() else node()"/>
      <xsl:text>]</xsl:text>
    </xsl:for-each>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <!-- Source line: archival citation, responsibilities, the bibliographic sources -->
  <xsl:template match="tei:teiHeader" mode="ty:source-line">
    <xsl:variable name="fd" select="tei:fileDesc"/>
    <xsl:variable name="ms" select="$fd/tei:sourceDesc//tei:msDesc"/>
    <xsl:if test="$ms or $fd/tei:titleStmt/tei:respStmt or $fd/tei:sourceDesc/*">
      <xsl:value-of select="concat(ty:mark(.), '#ed-source[')"/>
      <xsl:for-each select="$ms">
        <xsl:value-of select="concat('#ed-citation(', ty:lit(ty:citation(.)), ', place: ',
                                     ty:lit(normalize-space(tei:msIdentifier/tei:settlement)), ')')"/>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:titleStmt/(tei:author | tei:editor | tei:respStmt)">
        <xsl:value-of select="ty:mark(.)"/>
        <xsl:text>#ed-resp(</xsl:text>
        <xsl:value-of select="ty:lit(if (self::tei:respStmt) then normalize-space(tei:resp[1])
                                     else if (self::tei:author) then f:msg('info.author') else f:msg('resp.editor'))"/>
        <xsl:text>)[</xsl:text>
        <xsl:for-each select="if (self::tei:respStmt) then * except tei:resp else .">
          <xsl:if test="position() gt 1"><xsl:text>, </xsl:text></xsl:if>
          <xsl:apply-templates select="if (self::tei:author or self::tei:editor) then node() else ."/>
        </xsl:for-each>
        <xsl:text>]</xsl:text>
      </xsl:for-each>
      <xsl:for-each select="$fd/tei:sourceDesc/(* except tei:msDesc)">
        <xsl:value-of select="ty:mark(.)"/>
        <xsl:text>#ed-bibl[</xsl:text>
        <xsl:apply-templates select="." mode="ty:bibl"/>
        <xsl:text>]</xsl:text>
      </xsl:for-each>
      <xsl:text>]&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <!-- A bibliographic description printed inline: its text with names and titles. -->
  <xsl:template match="tei:p | tei:ab" mode="ty:bibl">
    <xsl:apply-templates/><xsl:text> </xsl:text>
  </xsl:template>
  <xsl:template match="tei:bibl | tei:biblFull | tei:biblStruct | tei:listBibl | tei:recordingStmt
                       | tei:monogr | tei:analytic | tei:imprint | tei:series" mode="ty:bibl">
    <xsl:for-each select="node()">
      <xsl:choose>
        <xsl:when test="self::text()"><xsl:value-of select="ty:run(.)"/></xsl:when>
        <xsl:when test="self::tei:bibl or self::tei:biblStruct or self::tei:monogr or self::tei:analytic
                        or self::tei:imprint or self::tei:series or self::tei:listBibl
                        or self::tei:titleStmt or self::tei:publicationStmt or self::tei:sourceDesc">
          <xsl:apply-templates select="." mode="ty:bibl"/><xsl:text> </xsl:text>
        </xsl:when>
        <xsl:when test="self::tei:note or self::tei:p"><xsl:apply-templates select="node()"/><xsl:text> </xsl:text></xsl:when>
        <xsl:when test="self::*"><xsl:apply-templates select="."/></xsl:when>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>
  <xsl:template match="*" mode="ty:bibl">
    <xsl:apply-templates select="node()" mode="ty:bibl"/>
  </xsl:template>
  <xsl:template match="text()" mode="ty:bibl"><xsl:value-of select="ty:run(.)"/></xsl:template>

  <!-- Entry of the list of sources (collected by the template with a query) -->
  <xsl:template match="tei:teiHeader" mode="ty:source-entry">
    <xsl:param name="date" tunnel="yes" as="xs:string"/>
    <xsl:param name="doc-key" as="xs:string" select="$doc-key"/>
    <xsl:variable name="sd" select="tei:fileDesc/tei:sourceDesc"/>
    <xsl:variable name="ms" select="($sd//tei:msDesc)[1]"/>
    <xsl:variable name="citation" select="if ($ms) then ty:citation($ms)
                                          else f:reading-text(($sd/(* except tei:msDesc))[1])"/>
    <xsl:value-of select="concat('#ed-src(kind: ', ty:lit(if ($ms) then 'archival' else 'other'),
                                 ', key: ', ty:lit($doc-key), ', date: ', ty:lit($date),
                                 ', citation: ', ty:lit($citation), ')&#10;')"/>
  </xsl:template>
</xsl:stylesheet>
