<?xml version="1.0" encoding="UTF-8"?>
<!--
  Manuscript descriptions in the PDF, after the text (document.xsl, in #ed-after): every msDesc
  of the sourceDesc in full, laid out by the ed-ms… functions of edition.typ. The same roles and
  labels as the HTML page (xslt/lib/msdesc.xsl); the content of every field goes through the
  ordinary text templates (text.xsl: names get index markers, hi, refs; unknown elements print
  their content). The hands' notes are left out here: the hands block (header.xsl, ed-hands)
  prints them, with the labels the margin uses.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:ty="urn:x-tei-edition:typst"
  exclude-result-prefixes="#all">

  <xsl:include href="../lib/msdesc.xsl"/>

  <xsl:template match="tei:sourceDesc" mode="ty:msdesc">
    <xsl:variable name="ms" select=".//tei:msDesc[not(ancestor::tei:msDesc)][f:ms-has-more(.)]"/>
    <xsl:if test="exists($ms)">
      <xsl:value-of select="concat('#ed-ms(', ty:lit(f:ms-label(if (count($ms) gt 1) then 'msDesc+' else 'msDesc')), ')[')"/>
      <xsl:apply-templates select="$ms" mode="ty:ms-part">
        <xsl:with-param name="level" select="1"/>
      </xsl:apply-templates>
      <xsl:text>]&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="ty:ms-part">
    <xsl:param name="level" as="xs:integer"/>
    <xsl:variable name="role" select="if (self::tei:msDesc) then 'section' else f:ms-role(.)"/>
    <xsl:value-of select="ty:mark(.)"/>
    <xsl:choose>
      <xsl:when test="$role = 'none'"/>
      <!-- the hands block prints them (see above) -->
      <xsl:when test="self::tei:handNote and ancestor::tei:teiHeader"/>
      <xsl:when test="$role = 'section'">
        <xsl:variable name="desc" select="self::tei:msDesc or self::tei:msPart or self::tei:msFrag"/>
        <xsl:variable name="heading" select="if (not($desc)) then f:ms-label(local-name())
          else string-join((if (self::tei:msDesc) then () else string-join((f:ms-label(local-name()), normalize-space(@n)[. != '']), ' '),
                            f:ms-heading(.)[. != '']), ': ')"/>
        <xsl:if test="$heading != ''">
          <xsl:value-of select="concat('#ed-ms-head(', $level, ', ', ty:lit($heading), ')')"/>
        </xsl:if>
        <xsl:apply-templates select="(if ($desc) then f:ms-identifier-rest(.) else ()), * except tei:msIdentifier" mode="ty:ms-part">
          <xsl:with-param name="level" select="$level + 1"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$role = 'items'">
        <xsl:if test="empty(preceding-sibling::*[1][self::tei:msItem or self::tei:msItemStruct])">#ed-ms-items[</xsl:if>
        <xsl:value-of select="concat('#ed-ms-item(', ty:lit(normalize-space(@n)), ')[')"/>
        <xsl:apply-templates select="*" mode="ty:ms-part">
          <xsl:with-param name="level" select="$level"/>
        </xsl:apply-templates>
        <xsl:text>]</xsl:text>
        <xsl:if test="empty(following-sibling::*[1][self::tei:msItem or self::tei:msItemStruct])">]</xsl:if>
      </xsl:when>
      <xsl:when test="$role = 'group'">
        <xsl:variable name="attrs" select="f:ms-attribute-rows(.)"/>
        <xsl:for-each select="1 to count($attrs) idiv 2">
          <xsl:value-of select="concat('#ed-ms-field(', ty:lit($attrs[2 * current() - 1]), ')[', ty:text($attrs[2 * current()]), ']')"/>
        </xsl:for-each>
        <xsl:apply-templates select="*" mode="ty:ms-part">
          <xsl:with-param name="level" select="$level"/>
        </xsl:apply-templates>
      </xsl:when>
      <xsl:when test="$role = 'block' and (parent::tei:msDesc or parent::tei:msPart or parent::tei:msFrag
                      or parent::tei:msItem or parent::tei:msItemStruct or local-name(..) = $fp:ms-sections)">
        <xsl:text>#ed-ms-block[</xsl:text>
        <xsl:apply-templates select="node()"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="concat('#ed-ms-field(', ty:lit(if ($role = 'block') then f:ms-element-label(..) else f:ms-element-label(.)), ')[')"/>
        <xsl:call-template name="ty:ms-value"/>
        <xsl:if test="empty(f:ms-computed(.)) and exists(f:ms-attribute-text(.))">
          <xsl:value-of select="concat(' ', ty:text(concat('(', f:ms-attribute-text(.), ')')))"/>
        </xsl:if>
        <xsl:text>]</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- What a field holds (the context item): as on the HTML page (msdesc.xsl, fp:ms-value). -->
  <xsl:template name="ty:ms-value">
    <xsl:variable name="computed" select="f:ms-computed(.)"/>
    <xsl:variable name="kids" select="*[normalize-space() or f:ms-computed(.) or .//tei:graphic or @target]"/>
    <xsl:choose>
      <xsl:when test="exists($computed)"><xsl:value-of select="ty:text($computed)"/></xsl:when>
      <xsl:when test="exists(@ref | @key) and local-name() = ('persName', 'placeName', 'orgName', 'name', 'rs', 'geogName')">
        <xsl:apply-templates select="."/>
      </xsl:when>
      <xsl:when test="text()[normalize-space()]">
        <xsl:apply-templates select="node()"/>
      </xsl:when>
      <!-- paragraphs only: run on after the label -->
      <xsl:when test="exists($kids) and (every $k in $kids satisfies ($k/self::tei:p or $k/self::tei:ab))">
        <xsl:for-each select="$kids">
          <xsl:if test="position() gt 1"><xsl:text> </xsl:text></xsl:if>
          <xsl:value-of select="ty:mark(.)"/>
          <xsl:apply-templates select="node()"/>
        </xsl:for-each>
      </xsl:when>
      <xsl:when test="exists($kids) and (every $k in $kids satisfies local-name($k) = $fp:ms-blocks)">
        <xsl:apply-templates select="node()"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:for-each select="$kids">
          <!-- (a literal: a ";" right after a call would end the call, not print) -->
          <xsl:if test="position() gt 1"><xsl:value-of select="ty:text('; ')"/></xsl:if>
          <xsl:apply-templates select="."/>
        </xsl:for-each>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Inside a description, elements that say what they say in attributes print that text. -->
  <xsl:template match="tei:msDesc//*[exists(f:ms-computed(.))]" priority="4">
    <xsl:value-of select="ty:text(f:ms-computed(.))"/>
  </xsl:template>
  <!-- list labels and items of a gloss list inside a field: a run, "label: item" -->
  <xsl:template match="tei:msDesc//tei:label[parent::tei:list]" priority="4">
    <xsl:apply-templates/><xsl:text>: </xsl:text>
  </xsl:template>
</xsl:stylesheet>
